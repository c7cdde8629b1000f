using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottTorus: dx/dt = y + 2*x*y + x*z; dy/dt = 1 - 2*x*x + y*z; dz/dt = x - x*x - y*y.</summary>
internal readonly struct FlowSprottTorus : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y + 2.0*x*y + x*z;
        derivative[1] = 1.0 - 2.0*x*x + y*z;
        derivative[2] = x - x*x - y*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 2*y + z, 1 + 2*x, x, -4*x, z, y, 1 - 2*x, -2*y, 0);
    }
}
