using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>
/// Rate inference on synthetic data made by Drift itself: over R independent data sets at fixed seeds, the true rate
/// lies inside the 95 % interval a number of times consistent with Binomial(R, 0.95) (at least the mean minus 3 SD),
/// and intervals are not vacuous (their median relative width is bounded).
/// </summary>
public class RateInferenceTests
{
    /// <summary>Immigration–death 0 → A (k = 10), A → ∅ (γ = 1), A(0) = 0.</summary>
    private static ReactionNetwork ImmigrationDeath => Models.ImmigrationDeath;

    /// <summary>Conversion–degradation A → B (k₁ = 0.6), B → ∅ (k₂ = 1.2), A(0) = 6.</summary>
    private static ReactionNetwork Conversion => ReactionNetwork.Parse("species A = 6, B = 0\nA -> B, 0.6\nB -> 0, 1.2\n");

    private static int LowestCoverage(int r) => (int)Math.Floor(0.95 * r - 3 * Math.Sqrt(r * 0.95 * 0.05));

    [Fact]
    public void Closed_form_is_firings_over_exposure_with_the_profile_interval()
    {
        // 0 -> A fires at 0.5 and 1; A -> 0 at 1.5; window [0, 2]: A is 0 on [0, .5), 1 on [.5, 1), 2 on [1, 1.5), 1 on [1.5, 2]
        var path = new JumpTrajectory(ImmigrationDeath, [0], [0.5, 1, 1.5], [0, 0, 1], 2);
        var fit = RateInference.FromTrajectories([path]);
        Assert.Equal(2 / 2.0, fit.For(0).Estimate, 14);              // exposure of 0 -> A is the window length
        Assert.Equal(1 / (0.5 + 1 + 0.5), fit.For(1).Estimate, 14);  // ∫A dt = 0.5·1 + 0.5·2 + 0.5·1 = 2
        Assert.Equal(1 / Math.Sqrt(2), fit.For(0).StandardError, 14);
        foreach (var e in fit.Estimates)
        {
            double n = e.Reaction == 0 ? 2 : 1;
            foreach (double c in new[] { e.Lower, e.Upper })
            {
                double r = c / e.Estimate;
                Assert.Equal(3.841458820694124, 2 * n * (r - 1 - Math.Log(r)), 9);
            }
        }
        var never = RateInference.FromTrajectories([new JumpTrajectory(ImmigrationDeath, [3], [], [], 2)]);
        Assert.Equal(0, never.For(0).Estimate);
        Assert.Equal(3.841458820694124 / 4, never.For(0).Upper, 12);
        Assert.Throws<ArgumentException>(() => RateInference.FromTrajectories([new JumpTrajectory(ImmigrationDeath, [0], [], [], 2)]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Intervals_from_full_trajectories_cover_the_true_rates_at_95_percent(int model)
    {
        var network = model == 0 ? ImmigrationDeath : Conversion;
        double t1 = model == 0 ? 2 : 3;
        const int r = 400;
        var covered = new int[2];
        var width = new List<double>[] { [], [] };
        for (int d = 0; d < r; d++)
        {
            var path = JumpSimulator.Trajectory(network, JumpMethod.Direct, t1, new JumpOptions { Seed = 1234 }, run: d);
            var fit = RateInference.FromTrajectories([path]);
            for (int j = 0; j < 2; j++)
            {
                var e = fit.For(j);
                if (e.Covers(network.Reactions[j].RateConstant)) covered[j]++;
                width[j].Add((e.Upper - e.Lower) / network.Reactions[j].RateConstant);
            }
        }
        for (int j = 0; j < 2; j++)
        {
            Assert.InRange(covered[j], LowestCoverage(r), r);
            Assert.InRange(width[j].Order().ElementAt(r / 2), 0.2, 2.5);
        }
    }

    [Fact]
    public void Closed_form_converges_to_the_truth_on_a_long_path()
    {
        var path = JumpSimulator.Trajectory(ImmigrationDeath, JumpMethod.NextReaction, 2000, new JumpOptions { Seed = 5 });
        var fit = RateInference.FromTrajectories([path]);
        Assert.InRange(Math.Abs(fit.For(0).Estimate - 10) / fit.For(0).StandardError, 0, 4);
        Assert.InRange(Math.Abs(fit.For(1).Estimate - 1) / fit.For(1).StandardError, 0, 4);
        Assert.InRange(fit.For(0).StandardError, 0.05, 0.1); // ≈ √(k/T) = 0.0707
    }

    /// <summary>R data sets of <paramref name="cells"/> series each, observed at <paramref name="times"/>, made from one ensemble.</summary>
    private static List<Observations[]> Synthetic(ReactionNetwork network, double[] times, int[] species, int r, int cells, ulong seed, Func<double, System.Random, double> noise)
    {
        var ensemble = JumpSimulator.Simulate(network, JumpMethod.Direct, times[^1],
            new JumpOptions { Runs = r * cells, Seed = seed, SaveTimes = times, KeepPaths = true, TrackQuantiles = false, TrackHistograms = false });
        var rng = new System.Random((int)seed);
        var sets = new List<Observations[]>();
        for (int d = 0; d < r; d++)
        {
            var set = new Observations[cells];
            for (int c = 0; c < cells; c++)
            {
                long run = (long)d * cells + c;
                var values = new double[times.Length, species.Length];
                for (int k = 0; k < times.Length; k++)
                    for (int s = 0; s < species.Length; s++) values[k, s] = noise(ensemble.Statistics.Path(k, species[s], run), rng);
                set[c] = new Observations(times, species, values);
            }
            sets.Add(set);
        }
        return sets;
    }

    [Fact]
    public void Intervals_from_sparse_gaussian_observations_cover_immigration_death_rates()
    {
        var network = ImmigrationDeath;
        double[] times = [0.5, 1, 2, 3, 4, 6];
        const double sigma = 1.5;
        const int r = 40;
        var sets = Synthetic(network, times, [0], r, cells: 2, seed: 77, (x, rng) => x + sigma * Gaussian(rng));
        var fits = Fit(network, sets, ObservationNoise.Gaussian(sigma), new ObservationFitOptions { MaxCounts = [32], InitialRates = [5, 2] });
        Assert.All(fits, fit => Assert.InRange(fit.Truncation, 0, 1e-4));
        AssertCoverage(network, fits, r);
    }

    [Fact]
    public void Intervals_from_binomially_thinned_observations_cover_conversion_rates()
    {
        var network = Conversion;
        double[] times = [0.5, 1, 2, 3, 4];
        const double p = 0.7;
        const int r = 40;
        var sets = Synthetic(network, times, [0, 1], r, cells: 2, seed: 91, (x, rng) =>
        {
            int y = 0;
            for (int m = 0; m < (int)x; m++) if (rng.NextDouble() < p) y++;
            return y;
        });
        var fits = Fit(network, sets, ObservationNoise.Binomial(p), new ObservationFitOptions { MaxCounts = [6, 6], InitialRates = [1, 0.5] });
        AssertCoverage(network, fits, r);
    }

    [Fact]
    public void Exact_observations_give_the_likelihood_of_the_transition_probabilities()
    {
        // one exact observation of immigration–death: L = Poisson(y; 10(1 − e^{−t})) at the true rates
        var network = ImmigrationDeath;
        var data = new Observations([2.0], [0], new double[,] { { 7 } });
        var (log, _) = RateInference.LogLikelihood(network, [60], [data], ObservationNoise.Exact, 1e-12);
        double mean = 10 * (1 - Math.Exp(-2));
        double expected = 7 * Math.Log(mean) - mean - Math.Log(5040);
        Assert.Equal(expected, log, 9);
    }

    [Fact]
    public void Bad_inputs_are_refused_with_their_names()
    {
        var network = ImmigrationDeath;
        var data = new Observations([1.0], [0], new double[,] { { 3 } });
        Assert.Contains("MaxCounts", Assert.Throws<ArgumentException>(() => RateInference.FromObservations(network, [data], ObservationNoise.Exact, new ObservationFitOptions())).Message);
        Assert.Throws<ArgumentException>(() => new Observations([1.0, 0.5], [0], new double[2, 1]));
        Assert.Throws<ArgumentException>(() => new Observations([1.0], [0], new double[,] { { double.NaN } }));
        Assert.Throws<ArgumentException>(() => ObservationNoise.Gaussian(0));
        Assert.Throws<ArgumentException>(() => ObservationNoise.Binomial(1.5));
        Assert.Throws<ArgumentException>(() => RateInference.FromTrajectories([], 0.95));
        var explicitNetwork = ReactionNetwork.Parse("species A = 1\nA -> 0, propensity = A\n0 -> A, 1\n");
        Assert.Throws<ArgumentException>(() => RateInference.FromTrajectories([new JumpTrajectory(explicitNetwork, [1], [], [], 1)]));
        Assert.Throws<ArgumentException>(() => RateInference.FromObservations(explicitNetwork, [data], ObservationNoise.Exact, new ObservationFitOptions { MaxCounts = [10], Fit = [0] }));
    }

    /// <summary>Fits every data set (in parallel: the fits are independent and deterministic).</summary>
    private static RateFit[] Fit(ReactionNetwork network, List<Observations[]> sets, ObservationNoise noise, ObservationFitOptions options)
    {
        var fits = new RateFit[sets.Count];
        Parallel.For(0, sets.Count, d => fits[d] = RateInference.FromObservations(network, sets[d], noise, options));
        return fits;
    }

    private static void AssertCoverage(ReactionNetwork network, RateFit[] fits, int r)
    {
        Assert.All(fits, fit => Assert.True(fit.Converged));
        for (int j = 0; j < 2; j++)
        {
            double truth = network.Reactions[j].RateConstant;
            Assert.InRange(fits.Count(f => f.For(j).Covers(truth)), LowestCoverage(r), r);
            Assert.InRange(fits.Select(f => f.For(j).Upper / f.For(j).Lower).Order().ElementAt(r / 2), 1.1, 20); // not vacuous
        }
    }

    private static double Gaussian(System.Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
