using Drift.Sampling.Diagnostics;
using Drift.Sampling.Stochastic;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests.Stochastic;

/// <summary>
/// SGLD and SGHMC on a conjugate linear regression (<see cref="RegressionData"/>): with the full batch both are linear
/// Gaussian recursions, so each has a closed-form stationary law (its own O(h)-biased one) that the draws must match
/// within MCSE, with means equal to the exact posterior mean; the bias against the exact posterior must be measured to
/// shrink when the step halves. Runs are 4 chains of 2·10⁴ (SGLD) or 4·10⁴ (SGHMC) cheap iterations (tens of ms each
/// on a quiet core; the class took about 25 s on the 2-core build machine at load average 70).
/// </summary>
public class SgmcmcTests(ITestOutputHelper output)
{
    private static readonly RegressionData Data = new();
    private static readonly double[] PosteriorMean = Data.Conjugate.PosteriorMean;

    private static SgmcmcResult Run(SgmcmcKind kind, double step, double temperature = 1, int batch = 0, bool estimateNoise = false, int iterations = 0, int threads = 0, ulong seed = 2026)
        => Sgmcmc.Sample(Data, new SgmcmcOptions
        {
            Sampler = kind, Schedule = StepSchedule.Constant(step), Temperature = temperature, BatchSize = batch, Friction = 10,
            EstimateGradientNoise = estimateNoise, Chains = 4, Iterations = iterations > 0 ? iterations : kind == SgmcmcKind.Sgld ? 20_000 : 40_000,
            Burnin = 1000, Seed = seed, Initial = PosteriorMean, Threads = threads,
        });

    /// <summary>Stationary variance of θ for coordinate i: SGLD T/(a(1 − εa/4)); SGHMC from the 2×2 Lyapunov equation of
    /// (θ, r) ↦ F(θ, r) + noise with F = [[1, ε], [−εa, 1 − ε²a − εC]], Q = diag(0, 2CεT), solved by iteration.</summary>
    private static double StationaryVariance(SgmcmcKind kind, int i, double step, double temperature = 1, double friction = 10)
    {
        double a = RegressionData.Precision(i);
        if (kind == SgmcmcKind.Sgld) return temperature / (a * (1 - step * a / 4));
        double f11 = 1, f12 = step, f21 = -step * a, f22 = 1 - step * step * a - step * friction, q = 2 * friction * step * temperature;
        double s11 = 0, s12 = 0, s22 = 0;
        for (int k = 0; k < 200_000; k++)
        {
            double n11 = f11 * f11 * s11 + 2 * f11 * f12 * s12 + f12 * f12 * s22;
            double n12 = f11 * f21 * s11 + (f11 * f22 + f12 * f21) * s12 + f12 * f22 * s22;
            double n22 = f21 * f21 * s11 + 2 * f21 * f22 * s12 + f22 * f22 * s22 + q;
            (s11, s12, s22) = (n11, n12, n22);
        }
        return s11;
    }

    private (double Variance, double Mcse) CheckAgainstStationaryLaw(string what, SgmcmcResult r, SgmcmcKind kind, double step, double temperature = 1)
    {
        var result = (0.0, 0.0);
        for (int i = 0; i < RegressionData.K; i++)
        {
            Clt.Check($"{what} E theta[{i + 1}] (posterior mean)", r.Parameter(i), PosteriorMean[i], output);
            int k = i;
            var squares = r.Function(p => (p[k] - PosteriorMean[k]) * (p[k] - PosteriorMean[k]));
            double v = StationaryVariance(kind, i, step, temperature);
            Clt.Check($"{what} Var theta[{i + 1}] (own stationary law; posterior {temperature / RegressionData.Precision(i):G4})", squares, v, output);
            if (i == 1) result = (squares.SelectMany(c => c).Average(), Convergence.McseMean(squares));
        }
        return result;
    }

    [Theory]
    [InlineData(SgmcmcKind.Sgld, 0.005)]
    [InlineData(SgmcmcKind.Sghmc, 0.04)]
    public void Full_batch_dynamics_match_their_stationary_law_and_the_bias_shrinks_with_the_step(SgmcmcKind kind, double step)
    {
        var (vh, se1) = CheckAgainstStationaryLaw($"{kind} eps={step}", Run(kind, step), kind, step);
        var (vh2, se2) = CheckAgainstStationaryLaw($"{kind} eps={step / 2}", Run(kind, step / 2), kind, step / 2);
        double truth = 1 / RegressionData.Precision(1), b1 = vh - truth, b2 = vh2 - truth;
        double z = (b1 - b2) / Math.Sqrt(se1 * se1 + se2 * se2);
        output.WriteLine($"{kind}: bias of Var theta[2] at eps {step}: {b1 / truth:P2} (+/- {se1 / truth:P2}); at eps/2: {b2 / truth:P2} (+/- {se2 / truth:P2}); ratio {b1 / b2:F2}; shrink z = {z:F1}");
        Assert.True(b1 / truth > 5 * se1 / truth, "at the larger step the bias must be visible (> 5 MCSE) for the shrinkage to be measured");
        Assert.True(z > 4, $"the bias must shrink when the step halves: {b1} -> {b2} ({z:F1} standard errors)");
    }

    [Fact]
    public void Temperature_scales_the_posterior_variance()
    {
        const double step = 0.0025;
        var (v1, se1) = CheckAgainstStationaryLaw("SGLD T=1", Run(SgmcmcKind.Sgld, step), SgmcmcKind.Sgld, step);
        // A different seed: with the same noise the linear recursion would scale every deviation by √T exactly.
        var (vc, sec) = CheckAgainstStationaryLaw("SGLD T=0.25", Run(SgmcmcKind.Sgld, step, temperature: 0.25, seed: 99), SgmcmcKind.Sgld, step, 0.25);
        double ratio = vc / v1, seRatio = ratio * Math.Sqrt(se1 * se1 / (v1 * v1) + sec * sec / (vc * vc));
        output.WriteLine($"Var theta[2] at T = 0.25 over T = 1: {ratio:F4} +/- {seRatio:F4}");
        Assert.True(Math.Abs(ratio - 0.25) < 4 * seRatio, $"variance ratio {ratio} vs T = 0.25");
    }

    [Theory]
    [InlineData(SgmcmcKind.Sgld, false)]
    [InlineData(SgmcmcKind.Sghmc, true)]
    public void Minibatch_gradients_keep_the_posterior_mean(SgmcmcKind kind, bool estimateNoise)
    {
        // The gradient estimate is unbiased and the model linear, so the stationary mean is the posterior mean exactly;
        // the minibatch noise only widens the law (reported, not asserted).
        double step = kind == SgmcmcKind.Sgld ? 0.0025 : 0.01; // SGHMC: B̂ = ½εV̂ ≈ 6 stays below C = 10
        var r = Run(kind, step, batch: 10, estimateNoise: estimateNoise, iterations: 20_000);
        for (int i = 0; i < RegressionData.K; i++)
        {
            Clt.Check($"{kind} |B| = 10 E theta[{i + 1}]", r.Parameter(i), PosteriorMean[i], output);
            int k = i;
            double v = r.Function(p => (p[k] - PosteriorMean[k]) * (p[k] - PosteriorMean[k])).SelectMany(c => c).Average();
            output.WriteLine($"  Var theta[{i + 1}] {v:G4} vs posterior {1 / RegressionData.Precision(i):G4} (full-batch own law {StationaryVariance(kind, i, step):G4})");
        }
    }

    [Fact]
    public void Draws_are_bit_identical_whatever_the_thread_count()
    {
        var one = Run(SgmcmcKind.Sghmc, 0.02, batch: 10, estimateNoise: true, iterations: 3000, threads: 1);
        var four = Run(SgmcmcKind.Sghmc, 0.02, batch: 10, estimateNoise: true, iterations: 3000, threads: 4);
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < one.DrawsPerChain; k++)
                Assert.True(one.Point(c, k).SequenceEqual(four.Point(c, k)), $"chain {c}, draw {k}");
    }

    /// <summary>½N(−2, 0.5²) + ½N(2, 0.5²): the barrier between the modes is 8 nats high.</summary>
    private static FullGradient<DelegateLogDensity> Bimodal() => new(LogDensity.FromPoint(1, (x, g) =>
    {
        const double a = 2, s2 = 0.25;
        double l1 = -(x[0] + a) * (x[0] + a) / (2 * s2), l2 = -(x[0] - a) * (x[0] - a) / (2 * s2), m = Math.Max(l1, l2);
        double w1 = Math.Exp(l1 - m), w2 = Math.Exp(l2 - m);
        g[0] = (w1 * -(x[0] + a) + w2 * -(x[0] - a)) / s2 / (w1 + w2);
        return m + Math.Log(0.5 * (w1 + w2));
    }));

    [Fact]
    public void Cyclical_schedule_visits_both_modes_where_constant_step_sgld_stays_in_one()
    {
        // Same length (4000 iterations), 4 chains all started in the left mode, seed 7. Cyclical: ε₀ = 0.8, 20 cycles,
        // exploration β = 0.25; its large early steps (near the SGLD stability limit 4s² = 1) carry chains across.
        // Constant: ε = 0.05 (variance bias εa/4 = 5%), which never crosses an 8-nat barrier in this time.
        const int iterations = 4000;
        var cyclical = Sgmcmc.Sample(Bimodal(), new SgmcmcOptions
        {
            Schedule = StepSchedule.Cyclical(0.8, iterations, 20, 0.25), Chains = 4, Iterations = iterations, Seed = 7, Initial = [-2.0],
        });
        var constant = Sgmcmc.Sample(Bimodal(), new SgmcmcOptions
        {
            Schedule = StepSchedule.Constant(0.05), Chains = 4, Iterations = iterations, Seed = 7, Initial = [-2.0],
        });
        var right = cyclical.Function(p => p[0] > 0 ? 1 : 0).Select(c => c.Average()).ToArray();
        var rightConstant = constant.Function(p => p[0] > 0 ? 1 : 0).Select(c => c.Average()).ToArray();
        output.WriteLine($"fraction of kept draws in the right mode, cyclical: {string.Join(", ", right.Select(f => f.ToString("F3")))} ({cyclical.DrawsPerChain} kept per chain)");
        output.WriteLine($"constant step: {string.Join(", ", rightConstant.Select(f => f.ToString("F3")))}");
        Assert.All(right, f => Assert.InRange(f, 0.1, 0.9));
        Assert.All(rightConstant, f => Assert.Equal(0, f));
    }

    [Fact]
    public void Schedules_follow_their_formulas()
    {
        var cyc = StepSchedule.Cyclical(1, 100, 4, 0.2); // L = 25
        Assert.Equal(1, cyc.StepSize(0), 15);
        Assert.Equal(1, cyc.StepSize(25), 15);
        Assert.Equal(0.5 * (Math.Cos(Math.PI * 10 / 25.0) + 1), cyc.StepSize(35), 15);
        Assert.True(cyc.IsExploring(29) && !cyc.IsExploring(30) && cyc.IsExploring(50));
        var poly = StepSchedule.Polynomial(0.1, 10, 0.55);
        Assert.Equal(0.1 * Math.Pow(20, -0.55), poly.StepSize(10), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSchedule.Constant(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSchedule.Cyclical(1, 100, 4, 1));
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => Sgmcmc.Sample(Data, new SgmcmcOptions { BatchSize = 41 }));
        Assert.Contains("BatchSize", bad.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgmcmc.Sample(Data, new SgmcmcOptions { Temperature = double.NaN }));
    }
}
