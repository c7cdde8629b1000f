using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Sakarya: dx/dt = a*x + h*y + s*y*z; dy/dt = -b*y - p*x + q*x*z; dz/dt = c*z - r*x*y.</summary>
internal readonly struct FlowSakarya : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double h = parameters[3];
        double p = parameters[4];
        double q = parameters[5];
        double r = parameters[6];
        double s = parameters[7];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = a*x + h*y + s*y*z;
        derivative[1] = -b*y - p*x + q*x*z;
        derivative[2] = c*z - r*x*y;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double h = parameters[3];
        double p = parameters[4];
        double q = parameters[5];
        double r = parameters[6];
        double s = parameters[7];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, a, h + s*z, s*y, -p + q*z, -b, q*x, -r*y, -r*x, c);
    }
}
