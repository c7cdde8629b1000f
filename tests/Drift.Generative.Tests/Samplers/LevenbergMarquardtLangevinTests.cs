using Drift.Generative.Grids;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;
using static Drift.Generative.Tests.RunStatistics;
using static Drift.Generative.Tests.Samplers.CorrectorRuns;

namespace Drift.Generative.Tests.Samplers;

/// <summary>
/// The Levenberg–Marquardt–Langevin corrector: its step against an explicit 2 × 2 inverse, its λ → ∞ limit, and the
/// predictor–corrector sampler with it against the plain Langevin corrector at equal NFE on the exact skewed2d mixture
/// (sliced W2 to exact samples of p_{t_N} and the heaviest mode's mass, mean ± SE over seeds). The sweep behind the
/// table in docs/generative.md is `drift-steer-measure lml` (bench/compare/drift-steer-measure).
/// </summary>
public class LevenbergMarquardtLangevinTests(ITestOutputHelper output)
{
    [Fact]
    public void The_step_is_Langevin_preconditioned_by_the_damped_rank_one_inverse()
    {
        // P = λ(λI + u uᵀ)⁻¹ by the explicit 2 × 2 inverse, u = σ s. Drift: x' − x = εPs at z = 0; noise: the map
        // z ↦ x' − x − εPs is √(2ε)M with M symmetric and M² = P (the injected covariance is 2εP).
        double[] s = [0.7, -1.9];
        const double sigma = 0.6, eps = 0.03, lambda = 0.8;
        double u0 = sigma * s[0], u1 = sigma * s[1];
        double a = lambda + u0 * u0, b = u0 * u1, c = lambda + u1 * u1, det = a * c - b * b;
        double[,] p = { { lambda * c / det, -lambda * b / det }, { -lambda * b / det, lambda * a / det } };
        double[] x = [0.3, 0.4];
        LevenbergMarquardtLangevin.Step(x, s, [0.0, 0.0], eps, sigma, lambda, 2);
        for (int i = 0; i < 2; i++) Assert.Equal((i == 0 ? 0.3 : 0.4) + eps * (p[i, 0] * s[0] + p[i, 1] * s[1]), x[i], 1e-14);
        var m = new double[2, 2];
        for (int col = 0; col < 2; col++)
        {
            double[] y = [0.3, 0.4], z = [col == 0 ? 1 : 0, col == 1 ? 1 : 0];
            LevenbergMarquardtLangevin.Step(y, s, z, eps, sigma, lambda, 2);
            for (int i = 0; i < 2; i++) m[i, col] = (y[i] - x[i]) / Math.Sqrt(2 * eps);
        }
        Assert.Equal(m[0, 1], m[1, 0], 1e-14);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) Assert.Equal(p[i, j], m[i, 0] * m[0, j] + m[i, 1] * m[1, j], 1e-13);
        // Rows are independent: a second row with its own score moves by its own P.
        double[] two = [0.3, 0.4, 0.3, 0.4];
        LevenbergMarquardtLangevin.Step(two, [0.7, -1.9, 0, 0], [0, 0, 0, 0], eps, sigma, lambda, 2);
        Assert.Equal(x[0], two[0], 1e-15);
        Assert.Equal(0.3, two[2]);
        Assert.Throws<ArgumentException>(() => LevenbergMarquardtLangevin.Step(x, s, [0.0, 0.0], eps, sigma, 0, 2));
        Assert.Throws<ArgumentException>(() => LevenbergMarquardtLangevin.Step(x, s, [0.0], eps, sigma, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrectorSampler(damping: -1));
    }

    [Fact]
    public void Infinite_damping_is_the_plain_corrector_and_large_damping_tends_to_it()
    {
        var grid = SamplingGrid.Create(Schedule, 8, GridSpacing.LogSnr);
        var plain = Run(new PredictorCorrectorSampler(), grid, 200, 4);
        Assert.Equal(plain, Run(new PredictorCorrectorSampler(damping: double.PositiveInfinity), grid, 200, 4));
        var large = Run(new PredictorCorrectorSampler(damping: 1e12), grid, 200, 4);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i], large[i], 1e-6);
        var lml = Run(new PredictorCorrectorSampler(damping: 1), grid, 200, 4);
        Assert.NotEqual(plain, lml);
        Assert.Equal("pc-lml", Drift.Generative.Samplers.SamplerCatalog.Create("pc-lml").Name);
        Assert.Equal(new PredictorCorrectorSampler().Evaluations(grid), Drift.Generative.Samplers.SamplerCatalog.Create("pc-lml").Evaluations(grid));
    }

    /// <summary>
    /// Equal NFE (one corrector step per time, 2 NFE per step): the measured finding (docs/generative.md) is that on the
    /// exact mixture the LML corrector is no better than the plain one (worse at every λ, steps and M measured). Over
    /// 4 seeds × 400 samples at 10 steps the paired difference of sliced W2 (LML − plain; +0.0099 ± 0.0013 over 8 × 1000)
    /// is held above −3 SE (LML not significantly better), and the LML run must still sample the same law as plain PC:
    /// paired heaviest-mode mass difference within 5 SE (+0.01) and sliced W2 below 0.5.
    /// </summary>
    [Fact]
    public void At_equal_NFE_the_LML_corrector_is_no_better_than_plain_Langevin_on_the_exact_mixture()
    {
        const int seeds = 4, steps = 10, n = 400;
        var plain = new PredictorCorrectorSampler();
        var lml = new PredictorCorrectorSampler(damping: 1);
        var diff = new List<double>();
        var massDiff = new List<double>();
        var w2 = new List<double>();
        for (ulong seed = 0; seed < seeds; seed++)
        {
            var p = Measure(plain, steps, n, 50 + seed);
            var l = Measure(lml, steps, n, 50 + seed);
            diff.Add(l.W2 - p.W2);
            massDiff.Add(l.Mass - p.Mass);
            w2.Add(l.W2);
        }
        var (dm, ds) = MeanSe(diff);
        var (mm, ms) = MeanSe(massDiff);
        output.WriteLine($"LML − plain: sliced W2 {dm:F4} ± {ds:F4}, heaviest mass {mm:F4} ± {ms:F4}; LML W2 {w2.Average():F4}");
        Assert.True(dm > -3 * ds, $"LML beat plain by {dm} ± {ds}: update docs/generative.md");
        Assert.True(Math.Abs(mm) < 5 * ms + 0.01, $"LML − plain heaviest mass {mm} ± {ms}");
        Assert.True(w2.Average() < 0.5, $"LML sliced W2 {w2.Average()}");
    }
}
