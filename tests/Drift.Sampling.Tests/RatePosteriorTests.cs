using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
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

    /// <summary>
    /// Coverage of posterior intervals from sparse, noisy observations over replicate data sets, with the truth drawn
    /// from the prior (so the 95 % central credible intervals of the exact posterior cover it with probability exactly
    /// 0.95, averaged over the prior: simulation-based calibration in interval form). Each replicate: rates
    /// ln c ~ N((ln 10, ln 1), 0.25²), two cells of immigration–death simulated by Drift, A observed at 6 times in
    /// [0.5, 6] with Gaussian noise σ = 1.5; the posterior (the forward-filter likelihood times the prior) sampled by
    /// random-walk Metropolis, one chain of 200 warm-up + 500 draws, on the value of ℓ alone
    /// (<see cref="RateLikelihood.LogLikelihood"/>: one filter per iteration instead of the five of a gradient — NUTS
    /// with finite-difference gradients is what made the earlier version of this test too slow to finish). Asserted:
    /// at least ⌊0.95R − 3√(R·0.95·0.05)⌋ of R intervals cover each true rate (the Binomial(R, 0.95) mean minus 3 SD);
    /// a negative control — the same intervals against the truth shifted by e (1 in ln c, four prior SDs) — falls below
    /// that bound; the median interval is narrower than the prior's (the data inform both rates). R = 6 in CI (bound 4
    /// of 6; about 4 200 filter runs on 51 states, a few seconds of CPU in a Debug build — the price of a calibration
    /// check, and 1/6 of the version that never finished); the study with R = 40 (bound 33) is
    /// <c>bash bench/compare/rate_coverage.sh</c> (DRIFT_COVERAGE_REPLICATES=40), results in docs/jumps.md.
    /// </summary>
    [Fact]
    public void Posterior_intervals_from_sparse_observations_cover_rates_drawn_from_the_prior()
    {
        int r = int.TryParse(Environment.GetEnvironmentVariable("DRIFT_COVERAGE_REPLICATES"), out int requested) && requested > 0 ? requested : 6;
        double[] priorMean = [Math.Log(10), 0];
        const double priorSd = 0.25, sigma = 1.5;
        double[] times = [0.5, 1, 2, 3, 4, 6];
        var rng = new System.Random(2024);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var truths = new double[r][];
        var data = new Observations[r][];
        for (int d = 0; d < r; d++)
        {
            truths[d] = [priorMean[0] + priorSd * Normal(), priorMean[1] + priorSd * Normal()];
            var network = ImmigrationDeath.WithRateConstants([Math.Exp(truths[d][0]), Math.Exp(truths[d][1])]);
            data[d] = new Observations[2];
            for (int c = 0; c < 2; c++)
            {
                var path = JumpSimulator.Trajectory(network, JumpMethod.Direct, times[^1], new JumpOptions { Seed = 77 }, run: 2 * d + c);
                var values = new double[times.Length, 1];
                for (int k = 0; k < times.Length; k++) values[k, 0] = path.StateAt(times[k])[0] + sigma * Normal();
                data[d][c] = new Observations(times, [0], values);
            }
        }
        var intervals = new (double Lower, double Upper)[r, 2];
        Parallel.For(0, r, d =>
        {
            var likelihood = RateLikelihood.FromObservations(ImmigrationDeath, data[d], ObservationNoise.Gaussian(sigma), new ObservationFitOptions { MaxCounts = [50] });
            var run = Mcmc.Sample(new ValueOnlyPosterior(likelihood, priorMean, priorSd),
                new McmcOptions { Sampler = SamplerKind.Rwm, Chains = 1, Warmup = 200, Draws = 500, Seed = (ulong)d + 1, Initial = priorMean, Threads = 1 });
            for (int j = 0; j < 2; j++)
            {
                var draws = run.Parameter(j).SelectMany(chain => chain).Order().ToArray();
                intervals[d, j] = (draws[(int)(0.025 * draws.Length)], draws[(int)(0.975 * draws.Length) - 1]);
            }
        });
        int lowest = (int)Math.Floor(0.95 * r - 3 * Math.Sqrt(r * 0.95 * 0.05));
        for (int j = 0; j < 2; j++)
        {
            int covered = 0, shifted = 0;
            var widths = new double[r];
            for (int d = 0; d < r; d++)
            {
                var (lower, upper) = intervals[d, j];
                if (lower <= truths[d][j] && truths[d][j] <= upper) covered++;
                if (lower <= truths[d][j] + 1 && truths[d][j] + 1 <= upper) shifted++;
                widths[d] = upper - lower;
            }
            double median = widths.Order().ElementAt(r / 2);
            output.WriteLine($"rate {j}: {covered}/{r} posterior 95 % intervals cover the truth (bound {lowest}); shifted truth {shifted}/{r}; median width in ln c {median:F3} (prior {2 * 1.96 * priorSd:F3})");
            Assert.InRange(covered, lowest, r);
            Assert.True(shifted < lowest, $"negative control: {shifted} of {r} intervals cover the shifted truth");
            Assert.InRange(median, 0.01, 2 * 1.96 * priorSd);
        }
    }

    /// <summary>ln π(θ) = ℓ(θ) + Σ ln N(θₖ; μₖ, σ²) from the likelihood's value alone, for samplers that read no gradient (the gradient is left 0).</summary>
    private readonly struct ValueOnlyPosterior(RateLikelihood likelihood, double[] mean, double sd) : ILogDensity
    {
        private readonly RateLikelihood _likelihood = likelihood;
        private readonly double[] _mean = mean;
        private readonly double _sd = sd;

        public int Dimension => _likelihood.Dimension;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
        {
            int n = logDensity.Length, d = Dimension;
            Span<double> theta = stackalloc double[d];
            for (int c = 0; c < n; c++)
            {
                double log = 0;
                for (int k = 0; k < d; k++)
                {
                    theta[k] = x[k * n + c];
                    double z = (theta[k] - _mean[k]) / _sd;
                    log -= 0.5 * z * z;
                    gradient[k * n + c] = 0;
                }
                logDensity[c] = log + _likelihood.LogLikelihood(theta);
            }
        }
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
