using System.Diagnostics;
using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
using Drift.Sampling.Diagnostics;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

/// <summary>
/// Bayesian rate inference: NUTS on <see cref="RatePosterior"/> (a Drift.Jumps likelihood times log-normal priors on the
/// rates), checked against a quadrature oracle and for calibration on data simulated by Drift.
/// </summary>
public class RatePosteriorTests(ITestOutputHelper output)
{
    // immigration–death: 0 → A at 10, A → ∅ at 1 per molecule; A(0) = 0
    private static readonly ReactionNetwork ImmigrationDeath = ReactionNetwork.Parse("species A = 0\n0 -> A, 10\nA -> 0, 1\n");

    [Fact]
    public void Posterior_mean_from_full_paths_matches_quadrature()
    {
        // With full paths the posterior factorises: π(θⱼ) ∝ exp(nⱼθⱼ − e^θⱼEⱼ − ½((θⱼ − μ)/σ)²). Its mean of e^θ by
        // quadrature on a fine grid is the oracle; the NUTS estimate must lie within 4 MCSE of it.
        var paths = Enumerable.Range(0, 3).Select(r => JumpSimulator.Trajectory(ImmigrationDeath, JumpMethod.Direct, 1, new JumpOptions { Seed = 5 }, r)).ToList();
        var likelihood = RateLikelihood.FromTrajectories(paths);
        const double mu = 0, sigma = 2;
        // sufficient statistics counted here, independently of the library: n₀ immigrations with h₀ = 1, n₁ deaths with h₁ = A
        double[] firings = [paths.Sum(p => p.Reactions.Count(j => j == 0)), paths.Sum(p => p.Reactions.Count(j => j == 1))];
        double[] exposure = [paths.Sum(p => p.EndTime), 0];
        foreach (var p in paths) p.ForEachPiece((x, start, end) => exposure[1] += x[0] * (end - start));
        var result = RatePosterior.ToRates(Mcmc.Sample(new RatePosterior(likelihood, mu, sigma), new McmcOptions { Seed = 3, Warmup = 300, Draws = 600, Initial = [.. likelihood.Start] }), ["immigration", "death"]);
        for (int j = 0; j < 2; j++)
        {
            double n = firings[j], e = exposure[j];
            double LogDensity(double t) => n * t - Math.Exp(t) * e - 0.5 * ((t - mu) / sigma) * ((t - mu) / sigma);
            double mode = Math.Log(Math.Max(n, 0.5) / e), peak = LogDensity(mode), z = 0, m = 0;
            for (double t = mode - 6; t <= mode + 6; t += 1e-4)
            {
                double w = Math.Exp(LogDensity(t) - peak);
                z += w;
                m += w * Math.Exp(t);
            }
            Clt.Check($"E[c{j} | paths] (n = {n}, E = {e:G4})", result.Parameter(j), m / z, output);
        }
        Assert.Equal(0, result.Divergences);
    }

    [Fact]
    public void Trajectory_gradient_is_exact_and_observation_gradient_matches_differences()
    {
        var path = JumpSimulator.Trajectory(ImmigrationDeath, JumpMethod.Direct, 2, new JumpOptions { Seed = 1 });
        var data = new Observations([0.5, 1, 2], [0], new double[,] { { 4 }, { 6.5 }, { 9 } });
        // the trajectory gradient is analytic (agrees with differences to their own error); the observation gradient is
        // itself a central difference of step 1e-4, so it agrees with GradientCheck's step 1e-5 to O(h²) and the
        // likelihood's 1e-11 series tolerance
        foreach (var (likelihood, tolerance) in new[]
                 {
                     (RateLikelihood.FromTrajectories([path]), 1e-6),
                     (RateLikelihood.FromObservations(ImmigrationDeath, [data], ObservationNoise.Gaussian(1.5), new ObservationFitOptions { MaxCounts = [40] }), 1e-4),
                 })
        {
            var r = GradientCheck.Compare(new RatePosterior(likelihood, 1, 2), [2.1, -0.2]);
            output.WriteLine($"worst relative gradient error {r.RelativeError:E2}");
            Assert.True(r.RelativeError < tolerance, $"relative gradient error {r.RelativeError}");
        }
    }

    [Fact(Skip = "too slow for CI as written: did not finish in 20 minutes on the loaded 2-core machine (finite-difference gradients of the FSP filter); shrink or give RateLikelihood an analytic gradient first")]
    public void Posterior_intervals_from_sparse_noisy_observations_cover_the_true_rates()
    {
        // R data sets, each 2 cells of a small immigration–death (0 → A at 4, A → ∅ at 1, so A(t) ~ Poisson(4(1 − e^−t)))
        // observed at t = 0.5, 1.5, 3 with Gaussian noise σ = 1, simulated by Drift's direct method. Prior
        // ln c ~ N(ln 2, 1.5²) on both rates (weak: the truths ln 4 and ln 1 lie within 0.5σ of it). Checks, per data
        // set: each posterior mean within 4 posterior SDs of the truth and R-hat < 1.2 (no stuck chain; 2 × 100 draws
        // make R-hat itself noisy); over the data sets: the central
        // 90% intervals [q5, q95] cover each truth at least ⌊0.9R − 3√(0.09R)⌋ times (the Binomial(R, 0.9) mean minus
        // 3 SD). Bayesian intervals under a fixed truth are calibrated only approximately, hence the weak prior.
        // Cost: this is the slowest test of the class (about 10⁵ forward filters on a 17-state projection: R = 10 data
        // sets × 2 chains × 200 NUTS iterations of at most 15 leapfrog steps × 5 filters per gradient, the gradient being
        // by central differences); R, the chain lengths and the state space are the smallest that still give the check power.
        const int r = 10;
        const double sigma = 1;
        double[] times = [0.5, 1.5, 3];
        var network = ReactionNetwork.Parse("species A = 0\n0 -> A, 4\nA -> 0, 1\n");
        var rng = new System.Random(2024);
        var clock = Stopwatch.StartNew();
        var summaries = new ParameterSummary[r][];
        var sets = new Observations[r][];
        for (int d = 0; d < r; d++)
        {
            sets[d] = new Observations[2];
            for (int cell = 0; cell < 2; cell++)
            {
                var path = JumpSimulator.Trajectory(network, JumpMethod.Direct, times[^1], new JumpOptions { Seed = 17 }, 2 * d + cell);
                var values = new double[times.Length, 1];
                for (int k = 0; k < times.Length; k++)
                    values[k, 0] = path.StateAt(times[k])[0] + sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                sets[d][cell] = new Observations(times, [0], values);
            }
        }
        Parallel.For(0, r, d =>
        {
            var likelihood = RateLikelihood.FromObservations(network, sets[d], ObservationNoise.Gaussian(sigma), new ObservationFitOptions { MaxCounts = [16], InitialRates = [2, 1] });
            var run = Mcmc.Sample(new RatePosterior(likelihood, Math.Log(2), 1.5),
                new McmcOptions { Seed = (ulong)(100 + d), Chains = 2, Warmup = 100, Draws = 100, MaxTreeDepth = 4, Threads = 1, Initial = [.. likelihood.Start] });
            summaries[d] = [.. RatePosterior.ToRates(run, ["immigration", "death"]).Summary()];
        });
        double[] truth = [4, 1];
        int lowest = (int)Math.Floor(0.9 * r - 3 * Math.Sqrt(0.09 * r));
        for (int j = 0; j < 2; j++)
        {
            int covered = summaries.Count(s => s[j].Q5 <= truth[j] && truth[j] <= s[j].Q95);
            output.WriteLine($"rate {j}: 90% intervals cover {truth[j]} in {covered} of {r} (bound {lowest}); posterior means {string.Join(" ", summaries.Select(s => s[j].Mean.ToString("G3")))}, R-hat {string.Join(" ", summaries.Select(s => s[j].Rhat.ToString("F3")))}");
            Assert.InRange(covered, lowest, r);
            foreach (var s in summaries)
            {
                Assert.True(Math.Abs(s[j].Mean - truth[j]) < 4 * s[j].StandardDeviation, $"rate {j}: posterior {s[j].Mean} ± {s[j].StandardDeviation}, truth {truth[j]}");
                Assert.True(s[j].Rhat < 1.2, $"rate {j}: R-hat {s[j].Rhat}");
            }
        }
        output.WriteLine($"{r} posteriors in {clock.Elapsed.TotalSeconds:F1} s (machine under load)");
    }

    [Fact]
    public void Bad_priors_are_refused_with_their_names()
    {
        var likelihood = RateLikelihood.FromTrajectories([JumpSimulator.Trajectory(ImmigrationDeath, JumpMethod.Direct, 2, new JumpOptions { Seed = 1 })]);
        Assert.Contains("priorSd", Assert.Throws<ArgumentException>(() => new RatePosterior(likelihood, 0, 0)).Message);
        Assert.Contains("priorMean", Assert.Throws<ArgumentException>(() => new RatePosterior(likelihood, [0.0], [1.0, 1.0])).Message);
        Assert.Contains("logRates", Assert.Throws<ArgumentException>(() => likelihood.Evaluate([1.0], new double[2])).Message);
    }
}
