using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Samplers;

/// <summary>
/// Runs of a diffusion sampler on the exact skewed2d mixture (VP linear, logSNR grid), shared by
/// <c>LevenbergMarquardtLangevinTests</c> and the <c>lml</c> sweep of bench/compare/drift-steer-measure (linked file).
/// </summary>
internal static class CorrectorRuns
{
    public static readonly GaussianMixture Mixture = StandardMixtures.Get("skewed2d");
    public static readonly VpLinearSchedule Schedule = new();

    /// <summary>n samples of p_{t_N}: exact draws of p_{t₀} (seed) moved by the sampler (same seed).</summary>
    public static double[] Run(DiffusionSampler sampler, SamplingGrid grid, int n, ulong seed)
    {
        var x = new double[n * 2];
        Mixture.Sample(grid.Alpha(0), grid.Sigma(0), seed, 0, x, n);
        sampler.Sample(Mixture.AsModel(Schedule), grid, x, n, seed);
        return x;
    }

    /// <summary>(sliced W2 to exact samples of p_{t_N} (seed + 1000), mass of the heaviest mode) of one run.</summary>
    public static (double W2, double Mass) Measure(DiffusionSampler sampler, int steps, int n, ulong seed)
    {
        var grid = SamplingGrid.Create(Schedule, steps, GridSpacing.LogSnr);
        var x = Run(sampler, grid, n, seed);
        var exact = new double[n * 2];
        Mixture.Sample(grid.Alpha(steps), grid.Sigma(steps), seed + 1000, 0, exact, n);
        return (SampleMetrics.SlicedWasserstein2(x, exact, n, 2), SampleMetrics.ModeMasses(Mixture, grid.Alpha(steps), grid.Sigma(steps), x, n)[0]);
    }
}
