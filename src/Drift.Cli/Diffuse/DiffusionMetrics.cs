using Drift.Generative.Metrics;
using Drift.Generative.Oracles;

namespace Drift.Cli.Diffuse;

/// <summary>
/// Generated samples against exact samples of the target at the grid's end (α_N, σ_N): sliced W₂ to one exact
/// set, the noise floor (sliced W₂ between two independent exact sets of the same size), their difference,
/// mode masses (posterior-assigned) against the weights, and coordinate means against the exact mean.
/// </summary>
public sealed class DiffusionMetrics
{
    private DiffusionMetrics(double sw, double floor, double[] masses, double[] weights, double[] means, double[] exactMeans, double[] standardErrors)
    {
        SlicedW2 = sw;
        NoiseFloor = floor;
        Masses = masses;
        Weights = weights;
        Means = means;
        ExactMeans = exactMeans;
        StandardErrors = standardErrors;
    }

    /// <summary>Sliced W₂ (128 projections) between the samples and exact samples.</summary>
    public double SlicedW2 { get; }
    /// <summary>Sliced W₂ between two independent exact sample sets of the same size.</summary>
    public double NoiseFloor { get; }
    /// <summary>SlicedW2 − NoiseFloor: what the sampler adds above sampling noise (≤ 0: indistinguishable).</summary>
    public double ExcessSlicedW2 => SlicedW2 - NoiseFloor;
    /// <summary>Fraction of samples assigned to each component.</summary>
    public IReadOnlyList<double> Masses { get; }
    /// <summary>The mixture weights.</summary>
    public IReadOnlyList<double> Weights { get; }
    /// <summary>max_k |mass_k − π_k|.</summary>
    public double MaxMassError => Masses.Zip(Weights).Max(p => Math.Abs(p.First - p.Second));
    /// <summary>Sample means per coordinate.</summary>
    public IReadOnlyList<double> Means { get; }
    /// <summary>Exact means α_N·E[x₀] per coordinate.</summary>
    public IReadOnlyList<double> ExactMeans { get; }
    /// <summary>Standard errors of the sample means.</summary>
    public IReadOnlyList<double> StandardErrors { get; }

    /// <summary>Computes the metrics of <paramref name="samples"/> rows of <paramref name="x"/> (exact sets drawn with seeds derived from <paramref name="seed"/>).</summary>
    public static DiffusionMetrics Measure(GaussianMixture target, double alpha, double sigma, ReadOnlySpan<double> x, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(target);
        int d = target.Dimension;
        var e1 = new double[samples * d];
        var e2 = new double[samples * d];
        target.Sample(alpha, sigma, seed + 1_000_003, 0, e1, samples);
        target.Sample(alpha, sigma, seed + 2_000_003, 0, e2, samples);
        double sw = SampleMetrics.SlicedWasserstein2(x, e1, samples, d, 128, seed + 7);
        double floor = SampleMetrics.SlicedWasserstein2(e2, e1, samples, d, 128, seed + 7);
        var masses = SampleMetrics.ModeMasses(target, alpha, sigma, x, samples);
        var mom = SampleMetrics.CoordinateMoments(x, samples, d);
        return new DiffusionMetrics(sw, floor, masses, [.. target.Weights], mom.Select(m => m.Mean).ToArray(), target.Mean(alpha),
            mom.Select(m => m.StandardError).ToArray());
    }
}
