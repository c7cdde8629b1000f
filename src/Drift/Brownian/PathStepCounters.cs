namespace Drift.Brownian;

/// <summary>
/// Not Brownian increments but their keys: for path p and step n, row 0 of each step receives the path index p
/// and row 1 the step index n (both exact integers as doubles, below 2⁵³); further rows are zero. A custom
/// <see cref="Ensembles.IEnsembleStepper"/> whose scheme needs a variable number of variates per step (rejection
/// samplers for Gamma or Poisson draws, say) takes these keys and draws as many variates as it needs from
/// <see cref="Random.StepDraws"/> keyed by (seed, p, n), so its results stay bit-identical for any thread count,
/// chunk size or shard.
/// </summary>
public readonly struct PathStepCounters : IBrownianIncrements
{
    /// <summary>Writes (path, step) into rows 0 and 1 of every step, zeros elsewhere (and in <paramref name="levy"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The noise dimension is below 2.</exception>
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseDimension, 2);
        levy.Clear();
        for (int s = 0; s < steps; s++)
        {
            int row = s * noiseDimension;
            var pathRow = dW.Slice(row * rowStride, paths);
            var stepRow = dW.Slice((row + 1) * rowStride, paths);
            for (int p = 0; p < paths; p++) pathRow[p] = firstPath + p;
            stepRow.Fill(firstStep + s);
            for (int j = 2; j < noiseDimension; j++) dW.Slice((row + j) * rowStride, paths).Clear();
        }
    }
}
