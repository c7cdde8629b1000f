using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>ShimizuMorioka: dx/dt = y; dy/dt = x - a*y - x*z; dz/dt = -b*z + x*x.</summary>
internal readonly struct FlowShimizuMorioka : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = x - a*y - x*z;
        derivative[2] = -b*z + x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, 1 - z, -a, -x, 2*x, 0, -b);
    }
}
