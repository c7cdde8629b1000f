using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>GenesioTesi: dx/dt = y; dy/dt = z; dz/dt = -c*x - b*y - a*z + x*x.</summary>
internal readonly struct FlowGenesioTesi : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = (T)z;
        derivative[2] = -c*x - b*y - a*z + x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, 0, 0, 1, -c + 2*x, -b, -a);
    }
}
