using Drift.Ensembles;
using Drift.Models.Finance;
using Xunit.Abstractions;

namespace Drift.Tests.Models;

public class FinanceSchemesTests(ITestOutputHelper output)
{
    /// <summary>Sample mean and variance with their standard errors (the variance's from the fourth central moment).</summary>
    internal static (double Mean, double MeanSe, double Variance, double VarianceSe) Moments(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double m = 0;
        foreach (double v in x) m += v;
        m /= n;
        double m2 = 0, m4 = 0;
        foreach (double v in x) { double d = (v - m) * (v - m); m2 += d; m4 += d * d; }
        m2 /= n;
        m4 /= n;
        return (m, Math.Sqrt(m2 / n), m2 * n / (n - 1), Math.Sqrt((m4 - m2 * m2) / n));
    }

    [Theory]
    [InlineData(2.0, 0.04, 0.2, 1)]   // Feller holds (ν = 8): normal + Gamma branch
    [InlineData(0.5, 0.04, 0.5, 10)]  // Feller fails (ν = 0.32): Poisson-mixture branch
    public void Exact_CIR_has_the_exact_mean_and_variance_at_any_step(double kappa, double theta, double sigma, int steps)
    {
        var model = new CoxIngersollRoss(kappa, theta, sigma);
        var solution = CoxIngersollRossExact.Solve(model, 0.03, 1.0, new EnsembleOptions { Paths = 100_000, Steps = steps, Seed = 3, KeepPaths = true, TrackQuantiles = false });
        var (mean, meanSe, variance, varianceSe) = Moments(solution.PathsAt(0, 0));
        output.WriteLine($"mean {mean:G6} ± {meanSe:G3} (exact {model.Mean(0.03, 1):G6}), variance {variance:G6} ± {varianceSe:G3} (exact {model.Variance(0.03, 1):G6})");
        Assert.True(Math.Abs(mean - model.Mean(0.03, 1)) < 4.5 * meanSe);
        Assert.True(Math.Abs(variance - model.Variance(0.03, 1)) < 4.5 * varianceSe);
        Assert.True(solution.PathsAt(0, 0).ToArray().All(r => r >= 0), "an exact CIR rate is never negative");
    }

    [Theory]
    [InlineData(2.0, 0.04, 0.2)]
    [InlineData(0.5, 0.04, 0.5)]
    public void Exact_CIR_transition_follows_the_scaled_noncentral_chi_squared_law(double kappa, double theta, double sigma)
    {
        var model = new CoxIngersollRoss(kappa, theta, sigma);
        double h = 0.5, r0 = 0.05;
        var solution = CoxIngersollRossExact.Solve(model, r0, h, new EnsembleOptions { Paths = 20_000, Steps = 1, Seed = 9, KeepPaths = true, TrackQuantiles = false });
        double c = sigma * sigma * (1 - Math.Exp(-kappa * h)) / (4 * kappa), nu = 4 * kappa * theta / (sigma * sigma), lambda = r0 * Math.Exp(-kappa * h) / c;
        double p = StatisticalTests.KolmogorovSmirnovPValue(solution.PathsAt(0, 0).ToArray(), r => GammaOracle.NoncentralChiSquaredCdf(r / c, nu, lambda));
        output.WriteLine($"KS p = {p:G3}");
        Assert.True(p > 1e-3, $"KS p = {p}");
    }

    [Fact]
    public void Exact_CIR_is_bit_identical_for_any_thread_count()
    {
        var model = new CoxIngersollRoss(1, 0.05, 0.3);
        var one = CoxIngersollRossExact.Solve(model, 0.02, 1, new EnsembleOptions { Paths = 3000, Steps = 5, Seed = 1, Threads = 1, ChunkSize = 256, KeepPaths = true });
        var two = CoxIngersollRossExact.Solve(model, 0.02, 1, new EnsembleOptions { Paths = 3000, Steps = 5, Seed = 1, Threads = 2, KeepPaths = true });
        Assert.True(one.PathsAt(0, 0).SequenceEqual(two.PathsAt(0, 0)));
    }

    [Fact]
    public void Heston_QE_prices_a_call_within_four_standard_errors_of_the_analytic_price()
    {
        var model = HestonParameters.Example;
        double exact = HestonAnalytic.Call(model, 100, 1);
        var solution = HestonQuadraticExponential.Solve(model, 1, new EnsembleOptions { Paths = 200_000, Steps = 32, Seed = 4, KeepPaths = true, TrackQuantiles = false });
        var price = EnsemblePricing.European(solution, 0, 100, 1, model.Rate, OptionKind.Call);
        output.WriteLine($"QE dt=1/32: {price.Price:F4} ± {price.StandardError:F4}, analytic {exact:F4}");
        Assert.True(Math.Abs(price.Price - exact) < 4 * price.StandardError, $"{price.Price} ± {price.StandardError} vs {exact}");
    }

    [Fact]
    public void Heston_QE_is_less_biased_than_full_truncation_Euler_at_a_coarse_step()
    {
        // A hard case in Andersen's spirit: high vol-of-vol, strong negative correlation, Feller violated; two steps a year.
        var model = new HestonParameters(100, 0.04, 0.0, 0.5, 0.04, 1.0, -0.9);
        double exact = HestonAnalytic.Call(model, 100, 1);
        var qe = EnsemblePricing.European(HestonQuadraticExponential.Solve(model, 1, new EnsembleOptions { Paths = 200_000, Steps = 2, Seed = 5, KeepPaths = true, TrackQuantiles = false }),
            0, 100, 1, model.Rate, OptionKind.Call);
        var euler = EuropeanMonteCarlo.Heston(model, 100, 1, OptionKind.Call, new MonteCarloOptions { Paths = 200_000, Steps = 2, Seed = 5, Antithetic = false });
        output.WriteLine($"analytic {exact:F4}; QE {qe.Price:F4} ± {qe.StandardError:F4} (bias {qe.Price - exact:F4}); FT Euler {euler.Price:F4} ± {euler.StandardError:F4} (bias {euler.Price - exact:F4})");
        Assert.True(Math.Abs(euler.Price - exact) > 5 * euler.StandardError, "full-truncation Euler is visibly biased at this step");
        Assert.True(Math.Abs(qe.Price - exact) + 2 * qe.StandardError < Math.Abs(euler.Price - exact), "QE's bias, with margin, is below Euler's");
        var fine = EnsemblePricing.European(HestonQuadraticExponential.Solve(model, 1, new EnsembleOptions { Paths = 200_000, Steps = 32, Seed = 5, KeepPaths = true, TrackQuantiles = false }),
            0, 100, 1, model.Rate, OptionKind.Call);
        output.WriteLine($"QE dt=1/32: {fine.Price:F4} ± {fine.StandardError:F4}");
        Assert.True(Math.Abs(fine.Price - exact) < 4 * fine.StandardError, "at a fine step QE agrees with the analytic price in this hard case too");
    }

    [Fact]
    public void Heston_QE_martingale_correction_makes_the_discounted_spot_a_martingale()
    {
        var model = new HestonParameters(100, 0.04, 0.02, 0.5, 0.04, 1.0, -0.9);
        var solution = HestonQuadraticExponential.Solve(model, 1, new EnsembleOptions { Paths = 200_000, Steps = 2, Seed = 6, KeepPaths = true, TrackQuantiles = false });
        var spot = solution.PathsAt(0, 0).ToArray().Select(Math.Exp).ToArray();
        var (mean, se, _, _) = Moments(spot);
        output.WriteLine($"E S_T = {mean:F4} ± {se:F4}, forward {100 * Math.Exp(0.02):F4}");
        Assert.True(Math.Abs(mean - 100 * Math.Exp(0.02)) < 4 * se);
        Assert.True(solution.PathsAt(0, 1).ToArray().All(v => v >= 0), "QE variance is never negative");
    }

    [Fact]
    public void SABR_alpha_is_exact_and_the_ATM_call_matches_Hagan_at_short_maturity()
    {
        var sabr = new Sabr(beta: 0.7, nu: 0.4, rho: -0.3);
        double f0 = 1, alpha0 = 0.25, maturity = 0.25;
        var solution = sabr.Solve(f0, alpha0, maturity, new EnsembleOptions { Paths = 200_000, Steps = 100, Seed = 8, KeepPaths = true, TrackQuantiles = false });
        var f = solution.PathsAt(0, 0).ToArray();
        var a = solution.PathsAt(0, 1).ToArray();
        var (aMean, aSe, _, _) = Moments(a);
        var (a2Mean, a2Se, _, _) = Moments(a.Select(v => v * v).ToArray());
        var (fMean, fSe, _, _) = Moments(f);
        Assert.True(Math.Abs(aMean - alpha0) < 4 * aSe, $"E α = {aMean}");
        Assert.True(Math.Abs(a2Mean - alpha0 * alpha0 * Math.Exp(0.16 * maturity)) < 4 * a2Se, $"E α² = {a2Mean}");
        Assert.True(Math.Abs(fMean - f0) < 4 * fSe, $"E F = {fMean}");

        foreach (double strike in new[] { 0.9, 1.0, 1.1 })
        {
            var (price, priceSe, _, _) = Moments(f.Select(x => Math.Max(x - strike, 0)).ToArray());
            double hagan = sabr.HaganImpliedVolatility(f0, strike, alpha0, maturity);
            double haganPrice = BlackScholes.Call(f0, strike, maturity, 0, hagan);
            // Tolerance: 4 MC standard errors plus Hagan's own error. Its expansion drops terms of relative size
            // (ν²T)² and ((1−β)²α²T)², about (0.04)² here; 1e-3 in implied vol (0.4 % of σ_B) bounds that with room,
            // times the Black vega F√T φ(d₁) ≤ 0.2 at these strikes.
            double tolerance = 4 * priceSe + 1e-3 * 0.2;
            output.WriteLine($"K = {strike}: MC {price:F5} ± {priceSe:F5}, Hagan {haganPrice:F5} (σ_B {hagan:F4})");
            Assert.True(Math.Abs(price - haganPrice) < tolerance, $"K = {strike}: {price} vs Hagan {haganPrice}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void Merton_call_matches_the_series_formula_within_four_standard_errors(int steps)
    {
        var model = new MertonJumpDiffusion(rate: 0.05, sigma: 0.2, intensity: 1.0, jumpMean: -0.1, jumpStdDev: 0.15, seed: 0);
        double exact = MertonAnalytic.Call(100, 100, 1, 0.05, 0.2, 1.0, -0.1, 0.15);
        var price = EnsemblePricing.European(model.Solve(100, 1, new EnsembleOptions { Paths = 200_000, Steps = steps, Seed = 10, KeepPaths = true, TrackQuantiles = false }),
            0, 100, 1, 0.05, OptionKind.Call);
        output.WriteLine($"{steps} steps: {price.Price:F4} ± {price.StandardError:F4}, series {exact:F4}");
        Assert.True(Math.Abs(price.Price - exact) < 4 * price.StandardError, $"{price.Price} ± {price.StandardError} vs {exact}");
        Assert.Equal(BlackScholes.Call(100, 100, 1, 0.05, 0.2), MertonAnalytic.Call(100, 100, 1, 0.05, 0.2, 0, -0.1, 0.15), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void European_shards_merged_in_order_give_the_unsharded_price_to_rounding(int count)
    {
        // 5001 paths = 2501 antithetic pairs, cut at ⌊iS/N⌋ (not at the 1024-sample blocks); each shard draws the streams
        // of its samples, so the merged moments differ from the unsharded ones only by the order of Chan's updates.
        var model = HestonParameters.Example;
        var options = new MonteCarloOptions { Paths = 5001, Steps = 8, Seed = 11 };
        var whole = EuropeanMonteCarlo.Heston(model, 100, 1, OptionKind.Call, options);
        var merged = Drift.Statistics.Moments.Empty;
        long paths = 0;
        for (int i = 0; i < count; i++)
        {
            var part = EuropeanMonteCarlo.Heston(model, 100, 1, OptionKind.Call, options with { Shard = new Shard(i, count) });
            merged = merged.Merge(part.Samples);
            paths += part.Paths;
        }
        Assert.Equal(whole.Paths, paths);
        Assert.Equal(whole.Samples.Count, merged.Count);
        Assert.Equal(whole.Samples.Min, merged.Min);
        Assert.Equal(whole.Samples.Max, merged.Max);
        Assert.Equal(whole.Price, merged.Mean, 1e-13 * Math.Abs(whole.Price));
        Assert.Equal(whole.StandardError, merged.StandardError, 1e-11 * whole.StandardError);
        Assert.Throws<ArgumentException>(() => EuropeanMonteCarlo.Heston(model, 100, 1, OptionKind.Call, options with { Shard = new Shard(0, 2), TargetStandardError = 0.1 }));
    }
}
