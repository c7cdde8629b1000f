namespace Drift.Brownian;

/// <summary>
/// Increments (and Lévy areas) on a fixed grid read from each path's <see cref="BrownianTree"/>, so
/// that a fixed-step solve sees exactly the Brownian path an adaptive solve with the same seed sees.
/// </summary>
/// <param name="seed">The run's seed.</param>
/// <param name="t0">Start of the trees' interval.</param>
/// <param name="t1">End of the trees' interval.</param>
/// <param name="tolerance">Leaf length of the trees (0 for the default (t1 − t0)·2⁻²⁰).</param>
public readonly struct TreeBrownianIncrements(ulong seed, double t0, double t1, double tolerance = 0) : IBrownianIncrements
{
    // One tree per column of the caller's batch, kept between calls so that stepping through a
    // chunk reuses each path's cached descent.
    [ThreadStatic]
    private static BrownianTree?[]? s_trees;

    /// <inheritdoc/>
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        int m = noiseDimension;
        var trees = s_trees;
        if (trees is null || trees.Length < paths) s_trees = trees = new BrownianTree?[Math.Max(paths, trees?.Length ?? 0)];
        Span<double> w = stackalloc double[m];
        Span<double> h = stackalloc double[m];
        for (int p = 0; p < paths; p++)
        {
            var tree = trees[p];
            if (tree is null || tree.NoiseDimension != m || tree.T0 != t0 || tree.T1 != t1 || tree.Seed != seed || tree.RequestedTolerance != tolerance)
                trees[p] = tree = new BrownianTree(seed, firstPath + p, m, t0, t1, tolerance);
            else if (tree.Path != firstPath + p)
                tree.Reset(firstPath + p);
            for (int s = 0; s < steps; s++)
            {
                int k = (int)firstStep + s;
                tree.Increment(times[k], times[k + 1], w, levy.IsEmpty ? default : h);
                for (int j = 0; j < m; j++)
                {
                    dW[(s * m + j) * rowStride + p] = w[j];
                    if (!levy.IsEmpty) levy[(s * m + j) * rowStride + p] = h[j];
                }
            }
        }
    }
}
