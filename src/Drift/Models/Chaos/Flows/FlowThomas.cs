using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Thomas: dx/dt = -a*x + b*Sin(y); dy/dt = -a*y + b*Sin(z); dz/dt = -a*z + b*Sin(x).</summary>
internal readonly struct FlowThomas : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*x + b*T.Sin(y);
        derivative[1] = -a*y + b*T.Sin(z);
        derivative[2] = -a*z + b*T.Sin(x);
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, b*Math.Cos(y), 0, 0, -a, b*Math.Cos(z), b*Math.Cos(x), 0, -a);
    }
}
