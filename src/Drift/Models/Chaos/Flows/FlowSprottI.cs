using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottI: dx/dt = -a*y; dy/dt = x + z; dz/dt = x + y*y - z.</summary>
internal readonly struct FlowSprottI : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*y;
        derivative[1] = x + z;
        derivative[2] = x + y*y - z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -a, 0, 1, 0, 1, 1, 2*y, -1);
    }
}
