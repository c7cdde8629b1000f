using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>NoseHoover: dx/dt = y; dy/dt = -x + y*z; dz/dt = a - y*y.</summary>
internal readonly struct FlowNoseHoover : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = (T)y;
        derivative[1] = -x + y*z;
        derivative[2] = a - y*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 0, 1, 0, -1, z, y, 0, -2*y, 0);
    }
}
