using Drift.Cli.Arguments;
using Drift.Generative.Training;
using Drift.Learning.Checkpoints;

namespace Drift.Cli.Diffuse;

/// <summary>
/// The training set of <c>drift diffuse train --reflow-from FILE</c>: <see cref="Reflow.GeneratePairs"/> on the checkpoint's
/// model, the samples as data and the noises as their paired rows. The data set keeps the checkpoint's data name, so a
/// reflowed model of an exact mixture is still reported against that mixture.
/// </summary>
internal static class ReflowSource
{
    /// <summary>Generates <paramref name="count"/> pairs with <paramref name="steps"/> RK4 steps and noise seed <paramref name="seed"/>.</summary>
    public static (PointData Data, double[] Noise) Load(string path, int count, int steps, ulong seed)
    {
        if (!File.Exists(path)) throw new UsageException($"--reflow-from '{path}' does not exist.");
        var model = TrainedModel.Load(path);
        var (noise, samples) = Reflow.GeneratePairs(model, count, steps, seed, TrainedModel.ReadDataMean(path));
        string name = SafeTensorsFile.Read(path).Metadata.TryGetValue("drift.data", out var original) ? original : path;
        return (new PointData(name, samples, model.Dimension, null, 0), noise);
    }
}
