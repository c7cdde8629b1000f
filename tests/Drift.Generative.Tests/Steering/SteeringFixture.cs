using Drift.Random.Resampling;
using Drift.Generative.Grids;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Steering;

namespace Drift.Generative.Tests.Steering;

/// <summary>The shared closed-form case: skewed2d tilted toward a = (1.5, −1.5) with s = 1, λ = 1 (τ = 1).</summary>
internal static class SteeringFixture
{
    public static readonly GaussianMixture Mixture = StandardMixtures.Get("skewed2d");
    public static readonly GaussianReward Reward = new([1.5, -1.5], 1.0);
    public const double Lambda = 1.0;
    public static readonly GaussianMixture Target = GaussianTilt.Apply(Mixture, Reward, Lambda);
    public static readonly double LogZ = GaussianTilt.LogNormalizer(Mixture, Reward, Lambda);

    public static SteeringResult Run(int particles, ulong seed, int steps = 60, double lambda = Lambda,
        SteeringPotential potential = SteeringPotential.Difference, ResamplingScheme scheme = ResamplingScheme.Systematic, double threshold = 0.5)
    {
        var schedule = new VpLinearSchedule();
        var model = Mixture.AsModel(schedule);
        var grid = SamplingGrid.Create(schedule, steps, GridSpacing.LogSnr);
        var x = new double[particles * 2];
        model.Sample(grid.Time(0), seed, 0, x, particles);
        return FkSteering.Run(model, grid, Reward, x, new FkSteeringOptions
        {
            Lambda = lambda, Potential = potential, Resampling = scheme, EssThreshold = threshold, Seed = seed,
        });
    }

    /// <summary>Σ_i Wⁱ·P_target(component k | x₀ⁱ): its expectation under the target is π'_k exactly.</summary>
    public static double[] ModeMasses(SteeringResult result, GaussianMixture target)
    {
        var m = new double[target.ComponentCount];
        var r = new double[target.ComponentCount];
        var row = new double[2];
        for (int i = 0; i < result.Particles; i++)
        {
            row[0] = result.Samples[2 * i];
            row[1] = result.Samples[2 * i + 1];
            target.Responsibilities(1, 0, row, r);
            for (int k = 0; k < m.Length; k++) m[k] += result.Weights[i] * r[k];
        }
        return m;
    }
}
