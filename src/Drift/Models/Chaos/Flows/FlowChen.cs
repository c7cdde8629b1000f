using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Chen: dx/dt = a*(y - x); dy/dt = (c - a)*x - x*z + c*y; dz/dt = x*y - b*z.</summary>
internal readonly struct FlowChen : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*(y - x);
        derivative[1] = (c - a)*x - x*z + c*y;
        derivative[2] = x*y - b*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, a, 0, c - a - z, c, -x, y, x, -b);
    }
}
