using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottM: dx/dt = -z; dy/dt = -x*x - y; dz/dt = a + a*x + y.</summary>
internal readonly struct FlowSprottM : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -z;
        derivative[1] = -x*x - y;
        derivative[2] = a + a*x + y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 0, -1, -2*x, -1, 0, a, 1, 0);
    }
}
