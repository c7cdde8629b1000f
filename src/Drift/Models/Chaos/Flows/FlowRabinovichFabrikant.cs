using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>RabinovichFabrikant: dx/dt = y*z - y + y*x*x + g*x; dy/dt = 3*x*z + x - x*x*x + g*y; dz/dt = -2*a*z - 2*x*y*z.</summary>
internal readonly struct FlowRabinovichFabrikant : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double g = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y*z - y + y*x*x + g*x;
        derivative[1] = 3.0*x*z + x - x*x*x + g*y;
        derivative[2] = -2.0*a*z - 2.0*x*y*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double g = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, 2*x*y + g, z - 1 + x*x, y, 3*z + 1 - 3*x*x, g, 3*x, -2*y*z, -2*x*z, -2*a - 2*x*y);
    }
}
