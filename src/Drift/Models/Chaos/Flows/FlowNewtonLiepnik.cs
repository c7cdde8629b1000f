using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>NewtonLiepnik: dx/dt = -a*x + y + 10*y*z; dy/dt = -x - 0.4*y + 5*x*z; dz/dt = b*z - 5*x*y.</summary>
internal readonly struct FlowNewtonLiepnik : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*x + y + 10.0*y*z;
        derivative[1] = -x - 0.4*y + 5.0*x*z;
        derivative[2] = b*z - 5.0*x*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, 1 + 10*z, 10*y, -1 + 5*z, -0.4, 5*x, -5*y, -5*x, b);
    }
}
