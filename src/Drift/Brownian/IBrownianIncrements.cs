namespace Drift.Brownian;

/// <summary>
/// A source of Brownian increments for a batch of paths over consecutive steps of a time grid.
/// </summary>
/// <remarks>
/// Step n spans [times[n], times[n+1]], of length h_n. For step <c>firstStep + s</c> and Brownian
/// component j, row <c>s·m + j</c> of <c>dW</c> receives ΔW_j = W_j(t_{n+1}) − W_j(t_n) ~ N(0, h_n)
/// and, when asked, the same row of <c>levy</c> receives the space-time Lévy area
/// H_j = (1/h_n)∫(W_j(s) − W_j(t_n)) ds − ΔW_j/2 ~ N(0, h_n/12), independent of ΔW_j.
/// Column p of each row is path <c>firstPath + p</c>. An implementation must give each path the
/// same values whatever batch or thread asks for it.
/// </remarks>
public interface IBrownianIncrements
{
    /// <summary>Fills increments (and optionally Lévy areas) for a batch of paths and steps.</summary>
    /// <param name="firstPath">Index of the batch's first path.</param>
    /// <param name="paths">Paths in the batch (row length written).</param>
    /// <param name="times">The whole time grid t_0 &lt; t_1 &lt; …</param>
    /// <param name="firstStep">First step n (covering times[n] to times[n+1]).</param>
    /// <param name="steps">Number of consecutive steps.</param>
    /// <param name="noiseDimension">Brownian dimension m.</param>
    /// <param name="dW">Output: steps·m rows.</param>
    /// <param name="levy">Output: steps·m rows of H, or empty when not wanted.</param>
    /// <param name="rowStride">Distance between rows, at least <paramref name="paths"/>.</param>
    void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride);
}
