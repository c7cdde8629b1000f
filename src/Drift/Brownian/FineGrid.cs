namespace Drift.Brownian;

/// <summary>The uniform fine grid t₀ + k·Δ, k = 0..n, that nested Brownian and fBM sources aggregate onto coarser grids.</summary>
internal static class FineGrid
{
    /// <summary>The k with t = t₀ + kΔ (to 1e-7 of a step).</summary>
    /// <exception cref="ArgumentException">t is not a point of the grid.</exception>
    public static int Index(double t, double t0, double step, int steps, string what)
    {
        double k = (t - t0) / step;
        double r = Math.Round(k);
        if (Math.Abs(k - r) > 1e-7 || r < 0 || r > steps)
            throw new ArgumentException($"time {t} is not a point of the fine {what} grid ({steps} steps from {t0}); choose step counts that divide it.");
        return (int)r;
    }
}
