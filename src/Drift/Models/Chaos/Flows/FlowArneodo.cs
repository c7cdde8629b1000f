using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Arneodo: dx/dt = y; dy/dt = z; dz/dt = -a*x - b*y - c*z + d*x*x*x.</summary>
internal readonly struct FlowArneodo : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = (T)z;
        derivative[2] = -a*x - b*y - c*z + d*x*x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, 0, 0, 1, -a + 3*d*x*x, -b, -c);
    }
}
