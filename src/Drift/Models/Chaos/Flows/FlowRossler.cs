using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Rossler: dx/dt = -y - z; dy/dt = x + a*y; dz/dt = b + z*x - c*z.</summary>
internal readonly struct FlowRossler : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -y - z;
        derivative[1] = x + a*y;
        derivative[2] = b + z*x - c*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -1, -1, 1, a, 0, z, 0, x - c);
    }
}
