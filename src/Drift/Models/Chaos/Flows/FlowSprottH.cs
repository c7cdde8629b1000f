using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>SprottH: dx/dt = -y + z*z; dy/dt = x + a*y; dz/dt = x - z.</summary>
internal readonly struct FlowSprottH : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -y + z*z;
        derivative[1] = x + a*y;
        derivative[2] = x - z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, -1, 2*z, 1, a, 0, 1, 0, -1);
    }
}
