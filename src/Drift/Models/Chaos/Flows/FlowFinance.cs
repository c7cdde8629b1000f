using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Finance: dx/dt = (1/b - a)*x + z + x*y; dy/dt = -b*y - x*x; dz/dt = -x - c*z.</summary>
internal readonly struct FlowFinance : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (1/b - a)*x + z + x*y;
        derivative[1] = -b*y - x*x;
        derivative[2] = -x - c*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 1/b - a + y, x, 1, -2*x, -b, 0, -1, 0, -c);
    }
}
