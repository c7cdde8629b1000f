using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottR: dx/dt = a - y; dy/dt = b + z; dz/dt = x*y - z.</summary>
internal readonly struct FlowSprottR : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a - y;
        derivative[1] = b + z;
        derivative[2] = x*y - z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -1, 0, 0, 0, 1, y, x, -1);
    }
}
