using Drift.Analysis;

namespace Drift.Transport.Wasserstein;

/// <summary>
/// Sliced Wasserstein distance between point clouds: the core estimator <see cref="Drift.Analysis.SlicedWasserstein"/>
/// (Philox directions keyed by (seed, direction), exact 1-D transport per direction) applied to the clouds' coordinates
/// and weights.
/// </summary>
public static class SlicedWasserstein
{
    /// <summary>Estimates SW_p between two weighted clouds of the same dimension and mass.</summary>
    /// <exception cref="ArgumentException">Different dimensions or masses, projections &lt; 1, p &lt; 1.</exception>
    public static SlicedWassersteinResult Estimate(PointCloud x, PointCloud y, int projections = 100, ulong seed = 0, double p = 2,
        int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Guard.Positive(projections, nameof(projections));
        if (x.Dimension != y.Dimension)
            throw new ArgumentException($"y has dimension {y.Dimension} but x has {x.Dimension}.", nameof(y));
        double ma = x.Mass, mb = y.Mass;
        if (Math.Abs(ma - mb) > 1e-9 * Math.Max(ma, mb))
            throw new ArgumentException($"y has total mass {mb:R} but x has {ma:R}; the masses must be equal.", nameof(y));
        return Drift.Analysis.SlicedWasserstein.Estimate(x.Coordinates, x.Weights, y.Coordinates, y.Weights, x.Dimension,
            projections, seed, p, threads);
    }
}
