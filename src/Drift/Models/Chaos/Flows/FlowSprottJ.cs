using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottJ: dx/dt = 2*z; dy/dt = -2*y + z; dz/dt = -x + y + y*y.</summary>
internal readonly struct FlowSprottJ : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = 2.0*z;
        derivative[1] = -2.0*y + z;
        derivative[2] = -x + y + y*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 0, 2, 0, -2, 1, -1, 1 + 2*y, 0);
    }
}
