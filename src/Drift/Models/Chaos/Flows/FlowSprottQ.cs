using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottQ: dx/dt = -z; dy/dt = x - y; dz/dt = a*x + y*y + b*z.</summary>
internal readonly struct FlowSprottQ : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -z;
        derivative[1] = x - y;
        derivative[2] = a*x + y*y + b*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 0, -1, 1, -1, 0, a, 2*y, b);
    }
}
