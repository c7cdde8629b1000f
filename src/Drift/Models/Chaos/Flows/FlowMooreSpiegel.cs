using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>MooreSpiegel: dx/dt = y; dy/dt = a*z; dz/dt = -z + eps*y - y*x*x - b*x.</summary>
internal readonly struct FlowMooreSpiegel : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double eps = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = a*z;
        derivative[2] = -z + eps*y - y*x*x - b*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double eps = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, 0, 0, a, -2*x*y - b, eps - x*x, -1);
    }
}
