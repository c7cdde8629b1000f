using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottL: dx/dt = y + b*z; dy/dt = a*x*x - y; dz/dt = 1 - x.</summary>
internal readonly struct FlowSprottL : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y + b*z;
        derivative[1] = a*x*x - y;
        derivative[2] = 1.0 - x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, b, 2*a*x, -1, 0, -1, 0, 0);
    }
}
