using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Rucklidge: dx/dt = -a*x + b*y - y*z; dy/dt = x; dz/dt = -z + y*y.</summary>
internal readonly struct FlowRucklidge : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*x + b*y - y*z;
        derivative[1] = (T)x;
        derivative[2] = -z + y*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, b - z, -y, 1, 0, 0, 0, 2*y, -1);
    }
}
