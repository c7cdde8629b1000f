namespace Drift.Transport.Wasserstein;

/// <summary>
/// Sliced Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015):
/// SW_p^p(μ, ν) = ∫_{S^{d−1}} W_p^p(θ#μ, θ#ν) dσ(θ), estimated with L directions θ uniform on the sphere (normalised
/// Gaussian vectors from a counter-based generator keyed by (seed, direction), so the estimate does not depend on the
/// thread count), each one-dimensional problem solved exactly by <see cref="Wasserstein1D"/>.
/// </summary>
public static class SlicedWasserstein
{
    /// <summary>Estimates SW_p between two weighted clouds of the same dimension and mass.</summary>
    /// <exception cref="ArgumentException">Different dimensions or masses, projections &lt; 1, p &lt; 1.</exception>
    public static SlicedWassersteinResult Estimate(PointCloud x, PointCloud y, int projections = 100, ulong seed = 0, double p = 2,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Guard.Positive(projections, nameof(projections));
        if (x.Dimension != y.Dimension)
            throw new ArgumentException($"y has dimension {y.Dimension} but x has {x.Dimension}.", nameof(y));
        if (!(p >= 1) || double.IsInfinity(p)) throw new ArgumentException($"p must be finite and ≥ 1, got {p}.", nameof(p));
        double ma = x.Mass, mb = y.Mass;
        if (Math.Abs(ma - mb) > 1e-9 * Math.Max(ma, mb))
            throw new ArgumentException($"y has total mass {mb:R} but x has {ma:R}; the masses must be equal.", nameof(y));
        int d = x.Dimension;
        var values = new double[projections];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, projections, options, () => (new double[x.Count], new double[y.Count], new double[d]), (l, _, buf) =>
        {
            var (px, py, theta) = buf;
            var rng = new SplitMix64(seed, (ulong)l);
            double norm;
            do
            {
                norm = 0;
                for (int k = 0; k < d; k++) { theta[k] = rng.NextNormal(); norm += theta[k] * theta[k]; }
            }
            while (norm == 0);
            norm = Math.Sqrt(norm);
            for (int k = 0; k < d; k++) theta[k] /= norm;
            Project(x, theta, px);
            Project(y, theta, py);
            values[l] = Wasserstein1D.Cost(px, x.Weights, py, y.Weights, p);
            return buf;
        }, _ => { });
        double mean = values.Average();
        double var = 0;
        foreach (double v in values) var += (v - mean) * (v - mean);
        double se = projections > 1 ? Math.Sqrt(var / (projections - 1) / projections) : double.NaN;
        return new SlicedWassersteinResult(Math.Pow(Math.Max(mean, 0), 1 / p), mean, se, projections);
    }

    private static void Project(PointCloud c, double[] theta, double[] dest)
    {
        int d = c.Dimension;
        var xs = c.Coordinates;
        for (int i = 0; i < c.Count; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) s += xs[i * d + k] * theta[k];
            dest[i] = s;
        }
    }
}
