using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottG: dx/dt = a*x + z; dy/dt = x*z - y; dz/dt = -x + y.</summary>
internal readonly struct FlowSprottG : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*x + z;
        derivative[1] = x*z - y;
        derivative[2] = -x + y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, a, 0, 1, z, -1, x, -1, 1, 0);
    }
}
