using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Drift.Solve;

/// <summary>Helpers for <see cref="IVectorDrift"/> right-hand sides.</summary>
public static class VectorDrift
{
    /// <summary>The largest dimension a register right-hand side can have: the four lanes of a 256-bit vector.</summary>
    public const int MaxDimension = 4;

    /// <summary>
    /// The span form of <see cref="IDrift.Evaluate"/> written with the register form: for each path p, lanes i &lt; d are
    /// loaded from <c>x[i·paths + p]</c> (lanes ≥ d are zero), <see cref="IVectorDrift.Evaluate(double, Vector256{double})"/>
    /// is called, and lanes i &lt; d of the result are stored to <c>dx[i·paths + p]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The dimension is not in 1 … <see cref="MaxDimension"/>, or a span is shorter than d·paths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EvaluateRows<TDrift>(in TDrift f, double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        where TDrift : struct, IVectorDrift
    {
        int d = f.Dimension;
        if (d < 1 || d > MaxDimension)
            throw new ArgumentException($"a register right-hand side has dimension 1 … {MaxDimension}, got {d}.", nameof(f));
        if (x.Length < d * paths || dx.Length < d * paths)
            throw new ArgumentException($"the state and derivative need {d}·{paths} values, got {x.Length} and {dx.Length}.", nameof(x));
        for (int p = 0; p < paths; p++)
        {
            var v = Vector256.Create(x[p], d > 1 ? x[paths + p] : 0.0, d > 2 ? x[2 * paths + p] : 0.0, d > 3 ? x[3 * paths + p] : 0.0);
            var r = f.Evaluate(t, v);
            dx[p] = r.GetElement(0);
            if (d > 1) dx[paths + p] = r.GetElement(1);
            if (d > 2) dx[2 * paths + p] = r.GetElement(2);
            if (d > 3) dx[3 * paths + p] = r.GetElement(3);
        }
    }
}
