using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>YuWang: dx/dt = a*(y - x); dy/dt = b*x - c*x*z; dz/dt = Exp(x*y) - d*z.</summary>
internal readonly struct FlowYuWang : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*(y - x);
        derivative[1] = b*x - c*x*z;
        derivative[2] = T.Exp(x*y) - d*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, a, 0, b - c*z, 0, -c*x, y*Math.Exp(x*y), x*Math.Exp(x*y), -d);
    }
}
