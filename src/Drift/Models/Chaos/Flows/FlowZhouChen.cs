using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>ZhouChen: dx/dt = a*x + b*y + y*z; dy/dt = c*y - x*z + d*y*z; dz/dt = e*z - x*y.</summary>
internal readonly struct FlowZhouChen : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double e = parameters[4];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*x + b*y + y*z;
        derivative[1] = c*y - x*z + d*y*z;
        derivative[2] = e*z - x*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double e = parameters[4];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, a, b + z, y, -z, c + d*z, -x + d*y, -y, -x, e);
    }
}
