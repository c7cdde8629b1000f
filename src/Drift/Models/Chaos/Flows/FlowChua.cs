using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Chua: dx/dt = alpha*(y - x - (m1*x + 0.5*(m0 - m1)*(Abs(x + 1) - Abs(x - 1)))); dy/dt = x - y + z; dz/dt = -beta*y.</summary>
internal readonly struct FlowChua : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double alpha = parameters[0];
        double beta = parameters[1];
        double m0 = parameters[2];
        double m1 = parameters[3];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = alpha*(y - x - (m1*x + 0.5*(m0 - m1)*(T.Abs(x + 1.0) - T.Abs(x - 1.0))));
        derivative[1] = x - y + z;
        derivative[2] = -beta*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double alpha = parameters[0];
        double beta = parameters[1];
        double m0 = parameters[2];
        double m1 = parameters[3];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -alpha - alpha*(m1 + 0.5*(m0 - m1)*(Math.Sign(x + 1) - Math.Sign(x - 1))), alpha, 0, 1, -1, 1, 0, -beta, 0);
    }
}
