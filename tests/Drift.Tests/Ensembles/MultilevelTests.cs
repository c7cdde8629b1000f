using Drift.Ensembles.Multilevel;
using Drift.Models.Finance;
using Drift.Solve;
using Xunit.Abstractions;

namespace Drift.Tests.Ensembles;

public class MultilevelTests(ITestOutputHelper output)
{
    private const double S0 = 1, K = 1, T = 1, R = 0.05, Sigma = 0.2;

    private MultilevelResult Run(MultilevelScheme scheme, double eps, int threads = 0) =>
        MultilevelMonteCarlo.Estimate(new GbmMultilevel(S0, K, T, R, Sigma, OptionKind.Call, scheme, 17),
            new MultilevelOptions { TargetRmse = eps, InitialSamples = 2000, Threads = threads });

    [Theory]
    [InlineData(MultilevelScheme.Euler)]
    [InlineData(MultilevelScheme.Milstein)]
    public void Price_is_within_its_error_budget_of_Black_Scholes_and_the_level_variances_decay_at_rate_beta(MultilevelScheme scheme)
    {
        double eps = 5e-4, exact = BlackScholes.Call(S0, K, T, R, Sigma);
        var r = Run(scheme, eps);
        foreach (var l in r.Levels) output.WriteLine($"level {l.Level}: N = {l.Samples}, mean {l.Mean:E3}, var {l.Variance:E3}, cost {l.Cost}");
        output.WriteLine($"{scheme}: price {r.Price:F6} ± {r.StandardError:E2} (bias est. {r.BiasEstimate:E2}), exact {exact:F6}; α {r.Alpha:F2} β {r.Beta:F2} γ {r.Gamma:F2}; cost {r.PathSteps:E3}, MC {r.MonteCarloPathSteps:E3}");
        Assert.Equal(SolveStatus.Success, r.Status);
        Assert.True(r.StandardError <= Math.Sqrt(0.75) * eps * 1.05, $"standard error {r.StandardError} over its budget");
        // RMSE ε: the error is within 3ε (the bias is part of ε).
        Assert.True(Math.Abs(r.Price - exact) < 3 * eps, $"error {r.Price - exact}");
        Assert.InRange(r.Beta, scheme == MultilevelScheme.Euler ? 0.75 : 1.6, scheme == MultilevelScheme.Euler ? 1.25 : 2.5);
        Assert.InRange(r.Gamma, 0.9, 1.1);
    }

    /// <summary>
    /// Cost to reach RMSE ε, fitted as a power of ε over ε = 1e-3 … 1.25e-4: Milstein MLMC ε⁻², Euler MLMC ε⁻²(log ε)²
    /// (fitted after dividing by (log ε)²), plain Monte Carlo at the finest level ε⁻³.
    /// </summary>
    [Fact]
    public void Cost_grows_as_the_complexity_theorem_says()
    {
        var eps = new[] { 1e-3, 5e-4, 2.5e-4, 1.25e-4 };
        double Fit(Func<double, double> y) => MultilevelTests.Fit(eps, eps.Select(y).ToArray());
        var euler = eps.ToDictionary(e => e, e => Run(MultilevelScheme.Euler, e));
        var milstein = eps.ToDictionary(e => e, e => Run(MultilevelScheme.Milstein, e));
        foreach (double e in eps)
            output.WriteLine($"ε = {e:E1}: Euler MLMC {euler[e].PathSteps:E3} (L = {euler[e].Levels.Count - 1}), Milstein MLMC {milstein[e].PathSteps:E3} (L = {milstein[e].Levels.Count - 1}), MC {euler[e].MonteCarloPathSteps:E3}");
        double slopeEuler = Fit(e => euler[e].PathSteps / (Math.Log(e) * Math.Log(e)));
        double slopeMilstein = Fit(e => milstein[e].PathSteps);
        double slopeMc = Fit(e => euler[e].MonteCarloPathSteps);
        double slopeEulerRaw = Fit(e => euler[e].PathSteps);
        output.WriteLine($"fitted exponents: Euler/(log ε)² {slopeEuler:F3} (raw {slopeEulerRaw:F3}), Milstein {slopeMilstein:F3}, MC {slopeMc:F3}");
        Assert.InRange(slopeEuler, -2.25, -1.75);
        Assert.InRange(slopeMilstein, -2.25, -1.75);
        Assert.InRange(slopeMc, -3.25, -2.75);
    }

    private static readonly HestonParameters HestonFeller = new(100, 0.04, 0.03, 1.5, 0.04, 0.3, -0.7);

    /// <summary>Heston MLMC as the CLI runs it: coarsest grid from κ (n₀ = 4 here), weak rate α pinned at Euler's 1.</summary>
    private static MultilevelResult RunHeston(double eps, ulong seed) =>
        MultilevelMonteCarlo.Estimate(new HestonMultilevel(HestonFeller, 100, 1, OptionKind.Call, seed), new MultilevelOptions { TargetRmse = eps, Alpha = 1 });

    /// <summary>
    /// Heston (Feller condition met: 2κθ = 0.12 ≥ ξ² = 0.09) with full-truncation Euler: the MLMC price agrees with the
    /// characteristic-function value within 3ε and the level variances decay at β ≈ 1.
    /// </summary>
    [Fact]
    public void Heston_Euler_MLMC_meets_the_semi_analytic_price()
    {
        double exact = HestonAnalytic.Call(HestonFeller, 100, 1), eps = 0.1;
        var r = RunHeston(eps, 23);
        output.WriteLine($"ε = {eps}: price {r.Price:F4} ± {r.StandardError:E2} (exact {exact:F4}), L = {r.Levels.Count - 1}, β {r.Beta:F2}, cost {r.PathSteps:E3}, MC {r.MonteCarloPathSteps:E3}");
        Assert.Equal(SolveStatus.Success, r.Status);
        Assert.Equal(4, new HestonMultilevel(HestonFeller, 100, 1, OptionKind.Call, 23).CoarseSteps);
        Assert.True(Math.Abs(r.Price - exact) < 3 * eps, $"error {r.Price - exact}");
        Assert.InRange(r.Beta, 0.75, 1.4);
    }

    /// <summary>
    /// Heston cost exponents over ε = 0.08, 0.04, 0.02 (relative 0.9% … 0.2% of the price): Euler MLMC cost/(log ε)²
    /// ∝ ε⁻² (β = γ = 1) and plain Monte Carlo at the finest level ε^{−2−1/α} = ε⁻³, each within ±0.25, and the
    /// finest level grows by one per halving of ε. Before the coarsest grid resolved κ (level 0 was one step of
    /// κh = 1.5) and while α was fitted from those levels, the bias test added levels at random (L = 6, 6, 6, 8 over
    /// ε = 0.04 … 0.005) and the fitted exponents were −1.70 and −2.60.
    /// </summary>
    [Fact]
    public void Heston_cost_grows_as_the_complexity_theorem_says()
    {
        var eps = new[] { 0.08, 0.04, 0.02 };
        double exact = HestonAnalytic.Call(HestonFeller, 100, 1);
        var runs = eps.Select(e => RunHeston(e, 23)).ToArray();
        for (int i = 0; i < eps.Length; i++)
        {
            var r = runs[i];
            output.WriteLine($"ε = {eps[i]}: price {r.Price:F4} (error {r.Price - exact:+0.0000;-0.0000}), L = {r.Levels.Count - 1}, β {r.Beta:F2}, MLMC {r.PathSteps:E3}, MC {r.MonteCarloPathSteps:E3}");
            Assert.True(Math.Abs(r.Price - exact) < 3 * eps[i], $"ε = {eps[i]}: error {r.Price - exact}");
        }
        double slopeMlmc = Fit(eps, runs.Select((r, i) => r.PathSteps / (Math.Log(eps[i]) * Math.Log(eps[i]))).ToArray());
        double slopeMc = Fit(eps, runs.Select(r => r.MonteCarloPathSteps).ToArray());
        output.WriteLine($"fitted exponents: MLMC/(log ε)² {slopeMlmc:F3} (raw {Fit(eps, runs.Select(r => r.PathSteps).ToArray()):F3}), MC {slopeMc:F3}");
        Assert.InRange(slopeMlmc, -2.25, -1.75);
        Assert.InRange(slopeMc, -3.25, -2.75);
        Assert.True(runs[^1].Levels.Count > runs[0].Levels.Count, "the finest level must grow as ε falls");
    }

    /// <summary>Least-squares slope of ln y against ln ε.</summary>
    private static double Fit(double[] eps, double[] y)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < eps.Length; i++) { double x = Math.Log(eps[i]), v = Math.Log(y[i]); sx += x; sy += v; sxx += x * x; sxy += x * v; }
        int k = eps.Length;
        return (k * sxy - sx * sy) / (k * sxx - sx * sx);
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        var a = Run(MultilevelScheme.Milstein, 2e-3, 1);
        var b = Run(MultilevelScheme.Milstein, 2e-3, 2);
        Assert.Equal(a.Price, b.Price);
        Assert.Equal(a.StandardError, b.StandardError);
        Assert.Equal(a.Levels.Select(l => l.Samples), b.Levels.Select(l => l.Samples));
    }

    private readonly struct NanAtLevelTwo : IMultilevelSampler
    {
        public int ScratchLength(int level, int count) => 0;
        public double Cost(int level) => 1 << level;
        public void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse)
        {
            fine.Fill(level == 2 && firstSample == 0 ? double.NaN : 1.0 / (1 << level));
            coarse.Fill(level == 0 ? 0 : 2.0 / (1 << level));
        }
    }

    [Fact]
    public void A_non_finite_sample_is_reported_with_its_level_and_index()
    {
        var e = Assert.Throws<ArithmeticException>(() => MultilevelMonteCarlo.Estimate(new NanAtLevelTwo(), new MultilevelOptions { InitialSamples = 10 }));
        Assert.Contains("sample 0 of level 2", e.Message);
    }

    /// <summary>E[Y_ℓ] = 1 on every level: the bias estimate never falls, so at the finest level allowed the status says so.</summary>
    private readonly struct BiasNeverFalls : IMultilevelSampler
    {
        public int ScratchLength(int level, int count) => 0;
        public double Cost(int level) => 1 << level;
        public void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse)
        {
            // Y = 1 ± 0.1·2^{−ℓ} by the parity of the sample: variance 0.01·4^{−ℓ}, so the rates can be fitted.
            for (int i = 0; i < fine.Length; i++) fine[i] = level + 1 + ((firstSample + i) % 2 == 0 ? 0.1 : -0.1) / (1 << level);
            coarse.Fill(level);
        }
    }

    [Fact]
    public void A_bias_that_never_falls_ends_NotConverged_at_the_finest_level()
    {
        var r = MultilevelMonteCarlo.Estimate(new BiasNeverFalls(), new MultilevelOptions { InitialSamples = 10, MaxLevel = 3 });
        Assert.Equal(SolveStatus.NotConverged, r.Status);
        Assert.Equal(4, r.Levels.Count);
    }

    [Fact]
    public void The_cancellation_token_in_the_options_stops_the_estimate()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MultilevelMonteCarlo.Estimate(new BiasNeverFalls(),
            new MultilevelOptions { InitialSamples = 10, CancellationToken = cancelled.Token }));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        var s = new GbmMultilevel(S0, K, T, R, Sigma, OptionKind.Call, MultilevelScheme.Euler, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => MultilevelMonteCarlo.Estimate(s, new MultilevelOptions { TargetRmse = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultilevelMonteCarlo.Estimate(s, new MultilevelOptions { MinLevel = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultilevelMonteCarlo.Estimate(s, new MultilevelOptions { BiasShare = 1 }));
        Assert.Throws<ArgumentException>(() => new GbmMultilevel(-1, K, T, R, Sigma, OptionKind.Call, MultilevelScheme.Euler, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HestonMultilevel(HestonFeller, 100, 1, OptionKind.Call, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HestonMultilevel(HestonFeller, 100, 1, OptionKind.Call, 1, HestonMultilevel.MaxCoarseSteps + 1));
        Assert.Equal(64, new HestonMultilevel(HestonFeller, 100, 1e6, OptionKind.Call, 1).CoarseSteps);
        var huge = new HestonMultilevel(HestonFeller, 100, 1, OptionKind.Call, 1, HestonMultilevel.MaxCoarseSteps);
        Assert.Throws<ArgumentOutOfRangeException>(() => huge.ScratchLength(20, 256));
    }
}
