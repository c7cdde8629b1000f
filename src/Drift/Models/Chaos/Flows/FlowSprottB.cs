using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottB: dx/dt = y*z; dy/dt = x - y; dz/dt = 1 - x*y.</summary>
internal readonly struct FlowSprottB : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y*z;
        derivative[1] = x - y;
        derivative[2] = 1.0 - x*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, z, y, 1, -1, 0, -y, -x, 0);
    }
}
