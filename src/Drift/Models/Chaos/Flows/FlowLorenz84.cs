using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Lorenz84: dx/dt = -a*x - y*y - z*z + a*f; dy/dt = -y + x*y - b*x*z + g; dz/dt = -z + b*x*y + x*z.</summary>
internal readonly struct FlowLorenz84 : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double f = parameters[2];
        double g = parameters[3];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*x - y*y - z*z + a*f;
        derivative[1] = -y + x*y - b*x*z + g;
        derivative[2] = -z + b*x*y + x*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double f = parameters[2];
        double g = parameters[3];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, -2*y, -2*z, y - b*z, -1 + x, -b*x, b*y + z, b*x, -1 + x);
    }
}
