using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Halvorsen: dx/dt = -a*x - b*y - b*z - y*y; dy/dt = -a*y - b*z - b*x - z*z; dz/dt = -a*z - b*x - b*y - x*x.</summary>
internal readonly struct FlowHalvorsen : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = -a*x - b*y - b*z - y*y;
        derivative[1] = -a*y - b*z - b*x - z*z;
        derivative[2] = -a*z - b*x - b*y - x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -a, -b - 2*y, -b, -b, -a, -b - 2*z, -b - 2*x, -b, -a);
    }
}
