using Drift.Generative.Models;
using Drift.Learning.Checkpoints;

namespace Drift.Generative.Training;

/// <summary>Loads a checkpoint written by <see cref="DiffusionTrainer{T}.SaveCheckpoint"/> (or <c>drift diffuse train</c>) as a model.</summary>
public static class TrainedModel
{
    /// <summary>
    /// The model of a checkpoint file: its description is read from the metadata, the network rebuilt, and the EMA weights
    /// ("ema.&lt;name&gt;") loaded when present, else the raw weights. Float32 checkpoints give a float32 network.
    /// </summary>
    /// <param name="path">The .safetensors file.</param>
    /// <param name="label">The class label for a conditional network (null: the null label).</param>
    /// <exception cref="InvalidDataException">Not a model checkpoint, or tensors that do not fit (naming the file and tensor).</exception>
    public static IDiffusionModel Load(string path, int? label = null)
    {
        var file = SafeTensorsFile.Read(path);
        var (objective, spec, dtype) = ModelDescription.FromMetadata(file.Metadata, path);
        return dtype switch
        {
            "float32" => Build<float>(path, file, objective, spec, label),
            "float64" => Build<double>(path, file, objective, spec, label),
            _ => throw new InvalidDataException($"{path}: unknown dtype '{dtype}' in metadata 'drift.dtype'."),
        };
    }

    /// <summary>The metadata key of the training data's mean (comma-separated, invariant culture).</summary>
    public const string DataMeanKey = "drift.data_mean";

    /// <summary>
    /// The mean m of the data a checkpoint was trained on (metadata <see cref="DataMeanKey"/>), or null for checkpoints
    /// written before it was recorded. Sampling starts from, and the likelihood's prior is, 𝒩(α_T m, σ_T² I).
    /// </summary>
    /// <exception cref="InvalidDataException">The value is malformed (naming the file).</exception>
    public static double[]? ReadDataMean(string path)
    {
        var file = SafeTensorsFile.Read(path);
        return file.Metadata.TryGetValue(DataMeanKey, out var text) ? ModelDescription.ParseVector(text, DataMeanKey, path) : null;
    }

    static NetworkDiffusionModel<T> Build<T>(string path, SafeTensorsFile file, DiffusionObjective objective, NetworkSpec spec, int? label)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var network = new DiffusionNetwork<T>(spec, 0);
        var named = network.NamedParameters();
        bool ema = named.Count > 0 && file.Contains("ema." + named[0].Name);
        var load = ema ? named.Select(p => ("ema." + p.Name, p.Tensor)).ToList() : [.. named];
        try
        {
            Checkpoint.LoadParameters(path, load);
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        return new NetworkDiffusionModel<T>(network, objective, label);
    }
}
