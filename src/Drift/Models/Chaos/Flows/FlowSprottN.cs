using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottN: dx/dt = -2*y; dy/dt = x + z*z; dz/dt = 1 + y - 2*z.</summary>
internal readonly struct FlowSprottN : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -2.0*y;
        derivative[1] = x + z*z;
        derivative[2] = 1.0 + y - 2.0*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -2, 0, 1, 0, 2*z, 0, 1, -2);
    }
}
