namespace Drift.Solve;

/// <summary>
/// The drift f(t, x) of an SDE dX = f dt + g dW, or the right-hand side of an ODE dx/dt = f(t, x),
/// evaluated for a batch of paths at once.
/// </summary>
/// <remarks>
/// Batches are component-major: for a batch of <c>paths</c> paths, component i of every path is the
/// contiguous row <c>x[i·paths .. (i+1)·paths)</c>. Implement this on a struct and pass it by type so
/// that solvers are specialised for it (no virtual call per path-step). Each path's result must
/// depend on that path's lanes only, so that results do not depend on how paths are batched.
/// </remarks>
public interface IDrift
{
    /// <summary>State dimension d.</summary>
    int Dimension { get; }

    /// <summary>
    /// Whether f depends on x only (f(t, x) = f(x), an autonomous system). Adaptive SDE ensembles then step every
    /// path with its own time and step size in one SIMD batch (a path's step of length h is the unit step of the
    /// time-changed equation dX = h·f ds + √h·g dB, which needs f and g free of t); the default, false, keeps the
    /// per-path loop. Declaring true for an f that reads t gives wrong results.
    /// </summary>
    bool TimeIndependent => false;

    /// <summary>Writes f(t, x) for every path of the batch.</summary>
    /// <param name="t">Time.</param>
    /// <param name="x">States, d rows of <paramref name="paths"/> values.</param>
    /// <param name="dx">Output, same layout as <paramref name="x"/>; never aliases it.</param>
    /// <param name="paths">Paths in the batch (the row length).</param>
    void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths);
}
