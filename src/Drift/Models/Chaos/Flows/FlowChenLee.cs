using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>ChenLee: dx/dt = a*x - y*z; dy/dt = b*y + x*z; dz/dt = c*z + x*y/3.</summary>
internal readonly struct FlowChenLee : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*x - y*z;
        derivative[1] = b*y + x*z;
        derivative[2] = c*z + x*y/3.0;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, a, -z, -y, z, b, x, y/3, x/3, c);
    }
}
