using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Duffing: dx/dt = y; dy/dt = -delta*y - beta*x - alpha*x*x*x + gamma*Cos(z); dz/dt = omega.</summary>
internal readonly struct FlowDuffing : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double alpha = parameters[0];
        double beta = parameters[1];
        double delta = parameters[2];
        double gamma = parameters[3];
        double omega = parameters[4];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y;
        derivative[1] = -delta*y - beta*x - alpha*x*x*x + gamma*T.Cos(z);
        derivative[2] = (T)omega;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double alpha = parameters[0];
        double beta = parameters[1];
        double delta = parameters[2];
        double gamma = parameters[3];
        double omega = parameters[4];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, -beta - 3*alpha*x*x, -delta, -gamma*Math.Sin(z), 0, 0, 0);
    }
}
