using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottP: dx/dt = a*y + z; dy/dt = -x + y*y; dz/dt = x + y.</summary>
internal readonly struct FlowSprottP : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*y + z;
        derivative[1] = -x + y*y;
        derivative[2] = x + y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, a, 1, -1, 2*y, 0, 1, 1, 0);
    }
}
