using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Lorenz: dx/dt = sigma*(y - x); dy/dt = x*(rho - z) - y; dz/dt = x*y - beta*z.</summary>
internal readonly struct FlowLorenz : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double beta = parameters[0];
        double rho = parameters[1];
        double sigma = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = sigma*(y - x);
        derivative[1] = x*(rho - z) - y;
        derivative[2] = x*y - beta*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double beta = parameters[0];
        double rho = parameters[1];
        double sigma = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -sigma, sigma, 0, rho - z, -1, -x, y, x, -beta);
    }
}
