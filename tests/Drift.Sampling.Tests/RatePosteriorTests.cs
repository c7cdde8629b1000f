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

    [Fact]
    public void Bad_priors_are_refused_with_their_names()
    {
        var likelihood = RateLikelihood.FromTrajectories([JumpSimulator.Trajectory(ImmigrationDeath, JumpMethod.Direct, 2, new JumpOptions { Seed = 1 })]);
        Assert.Contains("priorSd", Assert.Throws<ArgumentException>(() => new RatePosterior(likelihood, 0, 0)).Message);
        Assert.Contains("priorMean", Assert.Throws<ArgumentException>(() => new RatePosterior(likelihood, [0.0], [1.0, 1.0])).Message);
        Assert.Contains("logRates", Assert.Throws<ArgumentException>(() => likelihood.Evaluate([1.0], new double[2])).Message);
    }
}
