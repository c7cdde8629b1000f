using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>A vector field of the catalogue: right-hand side written once for scalars and lanes, and its Jacobian by hand.</summary>
internal interface IFlowKernel
{
    /// <summary>Writes f(x) for one state (scalars) or one register of paths (lanes).</summary>
    static abstract void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>;

    /// <summary>Writes ∂f_i/∂x_j at row-major position i·d + j for one state.</summary>
    static abstract void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian);
}

/// <summary>Writes a 3×3 row-major matrix.</summary>
internal static class Jacobian3
{
    public static void Set(Span<double> j, double a00, double a01, double a02, double a10, double a11, double a12, double a20, double a21, double a22)
    {
        j[0] = a00; j[1] = a01; j[2] = a02;
        j[3] = a10; j[4] = a11; j[5] = a12;
        j[6] = a20; j[7] = a21; j[8] = a22;
    }
}
