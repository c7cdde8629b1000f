using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottK: dx/dt = x*y - z; dy/dt = x - y; dz/dt = x + a*z.</summary>
internal readonly struct FlowSprottK : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = x*y - z;
        derivative[1] = x - y;
        derivative[2] = x + a*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, y, x, -1, 1, -1, 0, 1, 0, a);
    }
}
