using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottF: dx/dt = y + z; dy/dt = -x + a*y; dz/dt = x*x - z.</summary>
internal readonly struct FlowSprottF : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y + z;
        derivative[1] = -x + a*y;
        derivative[2] = x*x - z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 1, -1, a, 0, 2*x, 0, -1);
    }
}
