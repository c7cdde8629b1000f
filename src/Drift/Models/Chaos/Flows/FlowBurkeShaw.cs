using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>BurkeShaw: dx/dt = -n*x - n*y; dy/dt = y - n*x*z; dz/dt = n*x*y + e.</summary>
internal readonly struct FlowBurkeShaw : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double e = parameters[0];
        double n = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -n*x - n*y;
        derivative[1] = y - n*x*z;
        derivative[2] = n*x*y + e;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double e = parameters[0];
        double n = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -n, -n, 0, -n*z, 1, -n*x, n*y, n*x, 0);
    }
}
