using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottD: dx/dt = -y; dy/dt = x + z; dz/dt = x*z + 3*y*y.</summary>
internal readonly struct FlowSprottD : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -y;
        derivative[1] = x + z;
        derivative[2] = x*z + 3.0*y*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -1, 0, 1, 0, 1, z, 6*y, x);
    }
}
