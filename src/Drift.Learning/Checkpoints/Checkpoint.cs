using System.Globalization;
using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Learning.Data;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Checkpoints;

/// <summary>
/// Network weights and whole training states in safetensors files.
/// </summary>
/// <remarks>
/// <para>A weights file holds each parameter under its dotted name ("layers.0.weight"), as PyTorch's
/// <c>state_dict</c> would, so files move between Drift and PyTorch in both directions.</para>
/// <para>A training checkpoint adds the optimiser's state ("optimiser.&lt;i&gt;.exp_avg", …), its step
/// count ("optimiser.step"), the moving average ("ema.&lt;name&gt;", "ema.updates") and the data
/// loader's position ("loader.epoch", "loader.batch"). These are the whole random and numerical
/// state of a <see cref="Training.Trainer{T}"/> run (its randomness is keyed by step and batch row),
/// so a run resumed from a checkpoint is bit-identical to one that never stopped.</para>
/// <para>Files are written atomically (temporary file, flush, rename).</para>
/// </remarks>
public static class Checkpoint
{
    const string Format = "drift.training/1";

    /// <summary>Writes the named parameters to a safetensors file.</summary>
    public static void SaveParameters<T>(string path, IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters,
        IReadOnlyDictionary<string, string>? metadata = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var writer = new SafeTensorsWriter();
        foreach (var (name, tensor) in parameters) writer.Add(name, tensor);
        if (metadata is not null) foreach (var (k, v) in metadata) writer.SetMetadata(k, v);
        writer.Write(path);
    }

    /// <summary>
    /// Reads parameters by name into the given tensors (same dtype and shape; extra tensors in the
    /// file are ignored). Nothing is written unless every parameter is present and fits.
    /// </summary>
    /// <exception cref="KeyNotFoundException">When a parameter is missing from the file.</exception>
    /// <exception cref="InvalidDataException">When a dtype or shape differs (naming the tensor and both shapes).</exception>
    public static void LoadParameters<T>(string path, IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
        => LoadParameters(SafeTensorsFile.Read(path), parameters);

    static void LoadParameters<T>(SafeTensorsFile file, IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var loaded = new Tensor<T>[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, tensor) = parameters[i];
            var value = file.Get<T>(name);
            if (!value.SameShape(tensor))
                throw new InvalidDataException($"{file.FilePath}: tensor '{name}' has shape {ShapeRules.Format(value.Shape)}, the network's is {ShapeRules.Format(tensor.Shape)}.");
            loaded[i] = value;
        }
        for (int i = 0; i < parameters.Count; i++) parameters[i].Tensor.CopyFrom(loaded[i]);
    }

    /// <summary>Writes a training checkpoint: parameters, optimiser state and step, EMA, loader position.</summary>
    public static void SaveTraining<T>(string path, IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters, Optimiser<T> optimiser,
        ExponentialMovingAverage<T>? ema = null, MinibatchLoader<T>? loader = null, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimiser);
        var writer = new SafeTensorsWriter();
        foreach (var (name, tensor) in parameters) writer.Add(name, tensor);
        foreach (var (name, tensor) in optimiser.State()) writer.Add("optimiser." + name, tensor);
        writer.Add("optimiser.step", optimiser.StepCount);
        if (ema is not null)
        {
            for (int i = 0; i < parameters.Count; i++) writer.Add("ema." + parameters[i].Name, ema.Averages[i]);
            writer.Add("ema.updates", ema.Updates);
        }
        if (loader is not null)
        {
            writer.Add("loader.epoch", loader.Position.Epoch);
            writer.Add("loader.batch", loader.Position.Batch);
        }
        writer.SetMetadata("format", Format);
        writer.SetMetadata("optimiser", optimiser.GetType().Name.Split('`')[0]);
        writer.SetMetadata("learning_rate", optimiser.LearningRate.ToString("R", CultureInfo.InvariantCulture));
        if (metadata is not null) foreach (var (k, v) in metadata) writer.SetMetadata(k, v);
        writer.Write(path);
    }

    /// <summary>
    /// Restores a training checkpoint into the given parameters, optimiser, EMA and loader (each must
    /// be built as the saved one was). Everything is read and checked before anything is changed.
    /// </summary>
    /// <exception cref="InvalidDataException">When the file is not a training checkpoint or a tensor does not fit.</exception>
    public static void LoadTraining<T>(string path, IReadOnlyList<(string Name, Tensor<T> Tensor)> parameters, Optimiser<T> optimiser,
        ExponentialMovingAverage<T>? ema = null, MinibatchLoader<T>? loader = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimiser);
        var file = SafeTensorsFile.Read(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{path} is not a Drift training checkpoint (metadata format '{format}', expected '{Format}').");
        var state = new Dictionary<string, Tensor<T>>();
        foreach (var (name, _) in optimiser.State()) state[name] = file.Get<T>("optimiser." + name);
        long step = file.GetInt64("optimiser.step")[0];
        Tensor<T>[]? averages = null;
        long updates = 0;
        if (ema is not null)
        {
            averages = [.. parameters.Select(p => file.Get<T>("ema." + p.Name))];
            updates = file.GetInt64("ema.updates")[0];
        }
        (int, int)? position = loader is null ? null : ((int)file.GetInt64("loader.epoch")[0], (int)file.GetInt64("loader.batch")[0]);
        if (loader is not null && !loader.Fits(position!.Value))
            throw new InvalidDataException($"{path}: loader position {position.Value} does not fit a loader of {loader.BatchesPerEpoch} batches per epoch (saved with another batch size or data set?).");
        LoadParameters(file, parameters);
        optimiser.LoadState(state, step);
        if (ema is not null) ema.Load(averages!, updates);
        if (loader is not null) loader.Position = position!.Value;
        if (file.Metadata.TryGetValue("learning_rate", out var lr))
            optimiser.LearningRate = double.Parse(lr, CultureInfo.InvariantCulture);
    }
}
