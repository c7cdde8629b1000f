using Drift.Sampling.Adaptation;

namespace Drift.Sampling.Tests;

public class AdaptationTests
{
    private static List<int> WindowEnds(int warmup, out List<int> slow)
    {
        var w = new AdaptationWindows(warmup);
        var ends = new List<int>();
        slow = [];
        for (int t = 0; t < warmup; t++)
        {
            if (w.InSlowWindow) slow.Add(t);
            if (w.EndOfWindow) { ends.Add(t); w.ComputeNextWindow(); }
            w.Advance();
        }
        return ends;
    }

    [Fact]
    public void Stan_windows_for_1000_warmup_iterations_are_75_then_25_50_100_200_500_then_50()
    {
        // Stan's documented schedule: slow windows [75, 100), [100, 150), [150, 250), [250, 450), [450, 950),
        // the last stretched because the next (800 long) would overrun the terminal buffer of 50.
        var ends = WindowEnds(1000, out var slow);
        Assert.Equal([99, 149, 249, 449, 949], ends);
        Assert.Equal(75, slow[0]);
        Assert.Equal(949, slow[^1]);
        Assert.Equal(875, slow.Count);
    }

    [Fact]
    public void Short_warmups_use_15_75_10_percent_and_none_below_20()
    {
        var w = new AdaptationWindows(100);
        Assert.Equal((15, 10, 75), (w.InitBuffer, w.TermBuffer, w.BaseWindow));
        Assert.Equal([89], WindowEnds(100, out var slow));
        Assert.Equal(15, slow[0]);
        Assert.Empty(WindowEnds(19, out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void Dual_averaging_finds_the_step_size_that_hits_the_target_acceptance()
    {
        // With acceptance α(ε) = exp(−ε) (deterministic), the fixed point is ε* = −ln δ.
        var da = new DualAveraging(0.8) { Mu = Math.Log(10 * 1.0) };
        double eps = 1;
        // s̄ₘ ≈ (μ − x*)γ/√m at the fixed point, so the iterate approaches ε* like 1/√m: 2e5 steps leave ~3e-4.
        for (int i = 0; i < 200_000; i++) eps = da.Learn(Math.Exp(-eps));
        Assert.Equal(-Math.Log(0.8), eps, 1e-3);
        Assert.InRange(da.Final / -Math.Log(0.8), 0.99, 1.01);
        Assert.Equal((0.8, 0.05, 0.75, 10.0), (da.Delta, da.Gamma, da.Kappa, da.T0));
    }

    [Fact]
    public void Metric_estimate_is_stans_regularised_sample_covariance()
    {
        double[][] draws = [[1, 2], [3, 1], [0, 0], [4, 5], [2, -1], [5, 3]];
        int n = draws.Length;
        double m0 = draws.Average(x => x[0]), m1 = draws.Average(x => x[1]);
        double c00 = draws.Sum(x => (x[0] - m0) * (x[0] - m0)) / (n - 1), c11 = draws.Sum(x => (x[1] - m1) * (x[1] - m1)) / (n - 1);
        double c01 = draws.Sum(x => (x[0] - m0) * (x[1] - m1)) / (n - 1);
        double w = n / (n + 5.0), ridge = 1e-3 * 5 / (n + 5.0);
        var dense = new MetricEstimator(2, dense: true);
        var diag = new MetricEstimator(2, dense: false);
        foreach (var x in draws) { dense.Add(x); diag.Add(x); }
        var full = new double[4];
        var d = new double[2];
        Assert.True(dense.Estimate(full));
        Assert.True(diag.Estimate(d));
        Assert.Equal(w * c00 + ridge, full[0], 1e-14);
        Assert.Equal(w * c01, full[1], 1e-14);
        Assert.Equal(w * c01, full[2], 1e-14);
        Assert.Equal(w * c11 + ridge, full[3], 1e-14);
        Assert.Equal(w * c00 + ridge, d[0], 1e-14);
        Assert.Equal(w * c11 + ridge, d[1], 1e-14);
        Assert.Equal(0, dense.Count);
    }
}
