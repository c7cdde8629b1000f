using Drift.Cli.Arguments;
using Drift.Generative.Grids;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Drift.Random;

namespace Drift.Cli.Diffuse;

/// <summary>
/// Where sampling a trained checkpoint starts, and which sampler a mean-reverting one needs: x_T ~ 𝒩(μ + α_T(m − μ), σ_T² I)
/// with m the training data's mean and μ the objective's center (zero except for mean-reverting models, whose μ is the
/// reversion mean and whose sampler is the MR sampler integrating x − μ).
/// </summary>
internal static class ModelStart
{
    /// <summary>The sampler names that apply only to mean-reverting models.</summary>
    public static readonly string[] MeanRevertingNames = ["mrs", "mrs-sde"];

    /// <summary>The objective's center (reversion mean) recorded in a model file's metadata, or null.</summary>
    public static IReadOnlyList<double>? Center(IReadOnlyDictionary<string, string> metadata, string source)
        => ModelDescription.ObjectiveFromMetadata(metadata, source).Center;

    /// <summary>The MR sampler for a mean-reverting model (<c>mrs</c>: ODE, <c>mrs-sde</c>: SDE, both order 2); refuses other names.</summary>
    public static DiffusionSampler MeanRevertingSampler(IReadOnlyDictionary<string, string> metadata, string source, string samplerName, bool samplerGiven)
    {
        var center = Center(metadata, source) ?? throw new UsageException($"--model '{source}' is mean-reverting but records no reversion mean (drift.center).");
        if (samplerGiven && !MeanRevertingNames.Contains(samplerName))
            throw new UsageException($"a mean-reverting (mr) model samples with --sampler mrs or mrs-sde (they integrate x − μ about its reversion mean), not {samplerName}.");
        return new MeanRevertingSampler(center, 2, stochastic: samplerName == "mrs-sde");
    }

    /// <summary>
    /// Fills <paramref name="x"/> (n × d) with x_T ~ 𝒩(μ + α_T(m − μ), σ_T² I) from Philox normals of <paramref name="seed"/>;
    /// m is the data mean the model file records (<see cref="TrainedModel.DataMeanKey"/>; 0 when absent, as in ONNX files
    /// and PyTorch weights without it).
    /// </summary>
    /// <param name="metadata">The model file's metadata.</param>
    /// <param name="source">The file's path (for messages).</param>
    /// <param name="grid">The sampling grid (α_T, σ_T at its first time).</param>
    /// <param name="x">Output, n × d.</param>
    /// <param name="d">Dimension.</param>
    /// <param name="seed">Seed of the Philox normals.</param>
    /// <param name="spread">Factor on σ_T (1; 1/√B for a Feynman–Kac corrector's start p_T^B).</param>
    public static void Fill(IReadOnlyDictionary<string, string> metadata, string source, SamplingGrid grid, double[] x, int d, ulong seed, double spread = 1)
    {
        new PhiloxNormals(seed).FillStream(0, 0, x);
        double sigmaT = grid.Sigma(0) * spread, alphaT = grid.Alpha(0);
        var mean = metadata.TryGetValue(TrainedModel.DataMeanKey, out var text)
            ? ModelDescription.ParseVector(text, TrainedModel.DataMeanKey, source) : new double[d];
        if (mean.Length != d) throw new UsageException($"--model '{source}': its data mean has {mean.Length} components, the model {d}.");
        var center = grid.Schedule is MeanRevertingSchedule ? Center(metadata, source) : null;
        for (long k = 0; k < x.Length; k++)
        {
            int j = (int)(k % d);
            double mu = center?[j] ?? 0;
            x[k] = mu + alphaT * (mean[j] - mu) + sigmaT * x[k];
        }
    }
}
