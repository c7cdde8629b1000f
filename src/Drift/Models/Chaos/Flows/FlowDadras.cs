using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Dadras: dx/dt = y - p*x + o*y*z; dy/dt = r*y - x*z + z; dz/dt = c*x*y - e*z.</summary>
internal readonly struct FlowDadras : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double c = parameters[0];
        double e = parameters[1];
        double o = parameters[2];
        double p = parameters[3];
        double r = parameters[4];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = y - p*x + o*y*z;
        derivative[1] = r*y - x*z + z;
        derivative[2] = c*x*y - e*z;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double c = parameters[0];
        double e = parameters[1];
        double o = parameters[2];
        double p = parameters[3];
        double r = parameters[4];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, -p, 1 + o*z, o*y, -z, r, 1 - x, c*y, c*x, -e);
    }
}
