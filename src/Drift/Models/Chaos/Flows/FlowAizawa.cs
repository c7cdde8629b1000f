using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Aizawa: dx/dt = x*z - b*x - d*y; dy/dt = d*x + y*z - b*y; dz/dt = c + a*z - z*z*z/3 - x*x - y*y - e*z*x*x - e*z*y*y + f*z*x*x*x.</summary>
internal readonly struct FlowAizawa : IFlowKernel
{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double e = parameters[4];
        double f = parameters[5];
        T x = state[0], y = state[1], z = state[2];
        derivative[0] = x*z - b*x - d*y;
        derivative[1] = d*x + y*z - b*y;
        derivative[2] = c + a*z - z*z*z/3.0 - x*x - y*y - e*z*x*x - e*z*y*y + f*z*x*x*x;
    }

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {
        double a = parameters[0];
        double b = parameters[1];
        double c = parameters[2];
        double d = parameters[3];
        double e = parameters[4];
        double f = parameters[5];
        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, z - b, -d, x, d, z - b, y, -2*x - 2*e*z*x + 3*f*z*x*x, -2*y - 2*e*z*y, a - z*z - e*x*x - e*y*y + f*x*x*x);
    }
}
