using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottO: dx/dt = y; dy/dt = x - z; dz/dt = x + x*z + a*y.</summary>
internal readonly struct FlowSprottO : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = x - z;
        derivative[2] = x + x*z + a*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, 1, 0, -1, 1 + z, a, x);
    }
}
