using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>WangSun: dx/dt = a*x + q*y*z; dy/dt = b*x + d*y - x*z; dz/dt = e*z + f*x*y.</summary>
internal readonly struct FlowWangSun : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double d = parameters[2];
        double e = parameters[3];
        double f = parameters[4];
        double q = parameters[5];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*x + q*y*z;
        derivative[1] = b*x + d*y - x*z;
        derivative[2] = e*z + f*x*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double d = parameters[2];
        double e = parameters[3];
        double f = parameters[4];
        double q = parameters[5];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, a, q*z, q*y, b - z, d, -x, f*y, f*x, e);
    }
}
