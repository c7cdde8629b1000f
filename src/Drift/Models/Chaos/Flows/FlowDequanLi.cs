using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>DequanLi: dx/dt = a*(y - x) + d*x*z; dy/dt = k*x + f*y - x*z; dz/dt = c*z + x*y - eps*x*x.</summary>
internal readonly struct FlowDequanLi : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double c = parameters[1];
        double d = parameters[2];
        double eps = parameters[3];
        double f = parameters[4];
        double k = parameters[5];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*(y - x) + d*x*z;
        derivative[1] = k*x + f*y - x*z;
        derivative[2] = c*z + x*y - eps*x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double c = parameters[1];
        double d = parameters[2];
        double eps = parameters[3];
        double f = parameters[4];
        double k = parameters[5];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a + d*z, a, d*x, k - z, f, -x, y - 2*eps*x, x, c);
    }
}
