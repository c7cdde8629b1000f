namespace Drift.Sampling.Targets;

/// <summary>
/// Neal's funnel (Neal 2003, "Slice sampling", §8): v ~ N(0, 3²) and, given v, x₁ … x_{d−1} ~ N(0, eᵛ) independently.
/// Parameters are ordered (v, x₁, …, x_{d−1}); log π = −v²/18 − (d − 1) v/2 − e⁻ᵛ Σ xₖ²/2.
/// Exact moments: E v = 0, Var v = 9, E xₖ = 0, Var xₖ = E eᵛ = e^{9/2}. Its neck defeats a single step size:
/// NUTS reports divergent transitions there.
/// </summary>
/// <param name="dimension">d ≥ 2: v plus d − 1 funnel coordinates.</param>
public readonly struct Funnel(int dimension) : ILogDensity
{
    /// <inheritdoc/>
    public int Dimension { get; } = dimension >= 2 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the funnel needs at least 2 dimensions.");

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length, d = Dimension;
        var v = x[..n];
        var gv = gradient[..n];
        for (int c = 0; c < n; c++)
        {
            logDensity[c] = -v[c] * v[c] / 18 - 0.5 * (d - 1) * v[c];
            gv[c] = -v[c] / 9 - 0.5 * (d - 1);
        }
        for (int k = 1; k < d; k++)
        {
            var xk = x.Slice(k * n, n);
            var gk = gradient.Slice(k * n, n);
            for (int c = 0; c < n; c++)
            {
                double w = Math.Exp(-v[c]), half = 0.5 * xk[c] * xk[c] * w;
                logDensity[c] -= half;
                gv[c] += half;
                gk[c] = -xk[c] * w;
            }
        }
    }
}
