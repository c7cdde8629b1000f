using System.Globalization;
using System.Numerics;
using Drift.Generative.Models;
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;
using Drift.Random;

namespace Drift.Generative.Training;

/// <summary>
/// Trains a <see cref="DiffusionNetwork{T}"/> on point data with a <see cref="DiffusionObjective"/>: each step takes a
/// minibatch x₀ (Philox-shuffled epochs), draws noise ε, times t and label drops keyed by (seed, step, row), re-pairs
/// ε with x₀ by the <see cref="Coupling"/>, forms x_t and the regression target, and hands the batch to Drift.Learning's
/// data-parallel <see cref="Trainer{T}"/> (Adam, optional clipping, EMA).
/// </summary>
/// <remarks>
/// Every random choice is a pure function of (seed, step, batch row) and the loader's position, and the gradient is
/// reduced over a fixed partition of the batch, so the same seed gives bit-identical weights on any thread count, and a
/// run resumed from <see cref="SaveCheckpoint"/> continues bit-identically. <see cref="Model"/> gives the trained network
/// (its EMA weights) as an <see cref="IDiffusionModel"/> for every sampler.
/// </remarks>
public sealed class DiffusionTrainer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    const ulong PurposeWeights = 1, PurposeOrder = 2, PurposeNoise = 3, PurposeUniform = 4, PurposeNormal = 5, PurposeBridge = 6;
    readonly int d, batch;
    readonly Trainer<T> trainer;
    readonly MinibatchLoader<T> loader;
    readonly BatchCoupler coupler;
    readonly ImportanceTimeSampler? timeSampler;
    readonly double[] x0, noise, xt, target, uniforms, normals, bridge;
    readonly T[] inputs, targets;

    /// <summary>Creates a trainer on <paramref name="data"/> (rows × d, row-major) with optional labels.</summary>
    /// <exception cref="ArgumentException">Sizes disagree, a value is not finite, a label is out of range, or an option is out of range.</exception>
    public DiffusionTrainer(ReadOnlySpan<double> data, int[]? labels, DiffusionTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spec = options.Network;
        spec.Validate();
        d = spec.Dimension;
        if (data.Length == 0 || data.Length % d != 0)
            throw new ArgumentException($"data has {data.Length} values, not a positive multiple of the dimension {d}.", nameof(data));
        int n = data.Length / d;
        for (int k = 0; k < data.Length; k++)
            if (!double.IsFinite(data[k])) throw new ArgumentException($"data row {k / d}, coordinate {k % d} is {data[k]}; training data must be finite.", nameof(data));
        if (spec.Classes > 0)
        {
            if (labels is null || labels.Length != n) throw new ArgumentException($"a network with {spec.Classes} classes needs {n} labels, got {labels?.Length ?? 0}.", nameof(labels));
            for (int r = 0; r < n; r++)
                if ((uint)labels[r] >= (uint)spec.Classes) throw new ArgumentException($"label {labels[r]} of row {r} is outside [0, {spec.Classes}).", nameof(labels));
        }
        else labels = null;
        batch = options.BatchSize;
        if (batch < 1 || batch > n) throw new ArgumentOutOfRangeException(nameof(options), batch, $"the batch size must lie in [1, {n}] (the data rows).");
        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate)) throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "the learning rate must be positive.");
        if (!(options.EmaDecay >= 0 && options.EmaDecay < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.EmaDecay, "the EMA decay must lie in [0, 1).");
        if (!(options.LabelDropout >= 0 && options.LabelDropout < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.LabelDropout, "label dropout must lie in [0, 1).");
        if (options.Coupling is Coupling.ExactOt && batch > Transport.Exact.BatchAssignment.MaxSupportedBatch)
            throw new ArgumentOutOfRangeException(nameof(options), batch, $"an OT coupling supports batches up to {Transport.Exact.BatchAssignment.MaxSupportedBatch}.");

        var dataMean = new double[d];
        for (int k = 0; k < data.Length; k++) dataMean[k % d] += data[k] / n;
        DataMean = dataMean;
        // A mean-reverting process reverts to the data mean unless the objective names its own center.
        if (options.Objective.Schedule is Schedules.MeanRevertingSchedule && options.Objective.Center is null)
            options = options with { Objective = options.Objective.WithCenter(DataMean) };
        Options = options;
        if (options.PairedNoise is { } paired)
        {
            if (paired.Length != data.Length) throw new ArgumentException($"the paired noise has {paired.Length} values, the data {data.Length}.", nameof(options));
            for (int k = 0; k < paired.Length; k++)
                if (!double.IsFinite(paired[k])) throw new ArgumentException($"paired noise row {k / d}, coordinate {k % d} is {paired[k]}.", nameof(options));
        }
        if (!Enum.IsDefined(options.TimeSampling)) throw new ArgumentOutOfRangeException(nameof(options), options.TimeSampling, "unknown time sampling.");
        timeSampler = options.TimeSampling == TimeSampling.Importance ? new ImportanceTimeSampler(options.Objective) : null;
        Network = new DiffusionNetwork<T>(spec, SeedMixer.Derive(options.Seed, PurposeWeights));
        var values = new T[data.Length];
        for (int k = 0; k < values.Length; k++) values[k] = T.CreateChecked(data[k]);
        loader = new MinibatchLoader<T>(Tensor<T>.Wrap(values, n, d), null, labels, batch, SeedMixer.Derive(options.Seed, PurposeOrder));
        var parameters = Network.Parameters();
        Optimiser = new Adam<T>(parameters, options.LearningRate);
        Ema = options.EmaDecay > 0 ? new ExponentialMovingAverage<T>(parameters, options.EmaDecay) : null;
        trainer = new Trainer<T>(Optimiser, Loss, new TrainerOptions
        {
            Threads = options.Threads,
            ShardRows = options.ShardRows,
            ClipNorm = options.ClipNorm,
            CancellationToken = options.CancellationToken,
        }, Ema);
        coupler = new BatchCoupler(options.Coupling, batch, d, options.EntropicEpsilon);
        x0 = new double[batch * d];
        noise = new double[batch * d];
        xt = new double[d];
        target = new double[d];
        uniforms = new double[3 * batch];
        normals = new double[batch];
        bridge = options.Coupling == Coupling.Entropic && options.Objective.Kind == ObjectiveKind.FlowMatching ? new double[batch * d] : [];
        inputs = new T[batch * (d + 2)];
        targets = new T[batch * d];
    }

    /// <summary>The options.</summary>
    public DiffusionTrainingOptions Options { get; }
    /// <summary>The network being trained (its current, not averaged, weights).</summary>
    public DiffusionNetwork<T> Network { get; }
    /// <summary>The optimiser; its step count is the number of steps taken.</summary>
    public Adam<T> Optimiser { get; }
    /// <summary>The weight average, or null.</summary>
    public ExponentialMovingAverage<T>? Ema { get; }
    /// <summary>The mean of the training data, per coordinate (saved with checkpoints: the prior of sampling and likelihood is 𝒩(α_T·mean, σ_T² I)).</summary>
    public IReadOnlyList<double> DataMean { get; }
    /// <summary>Steps taken.</summary>
    public long StepCount => Optimiser.StepCount;

    /// <summary>One update on the next minibatch.</summary>
    /// <exception cref="NonFiniteGradientException">The loss or a gradient is NaN/∞ (the step and parameter are named; weights unchanged).</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public TrainingStep Step()
    {
        long step = Optimiser.StepCount;
        var mb = loader.Next();
        int rows = mb.Count;
        var src = mb.Inputs.Span;
        for (int k = 0; k < rows * d; k++) x0[k] = double.CreateChecked(src[k]);
        ulong seed = Options.Seed;
        var eps = noise.AsSpan(0, rows * d);
        new PhiloxNormals(SeedMixer.Derive(seed, PurposeNoise)).FillStream((ulong)step, 0, eps);
        new PhiloxUniforms(SeedMixer.Derive(seed, PurposeUniform)).FillStream((ulong)step, 0, uniforms.AsSpan(0, 3 * rows));
        var objective = Options.Objective;
        if (objective.Kind == ObjectiveKind.Edm) new PhiloxNormals(SeedMixer.Derive(seed, PurposeNormal)).FillStream((ulong)step, 0, normals.AsSpan(0, rows));
        if (Options.PairedNoise is { } paired)
            for (int r = 0; r < rows; r++) paired.AsSpan(mb.Rows[r] * d, d).CopyTo(eps.Slice(r * d, d));
        else coupler.Couple(x0.AsSpan(0, rows * d), eps, uniforms.AsSpan(2 * rows, rows));
        // SB-CFM (Tong et al. 2023): on the straight path the Schrödinger bridge of the entropic plan (ε in squared-distance
        // units) adds Brownian-bridge noise with σ² = ε/2 to the path and its velocity (BrownianBridgeNoise).
        double bridgeSigma = bridge.Length > 0 && Options.PairedNoise is null ? Math.Sqrt(coupler.AbsoluteEpsilon / 2) : 0;
        if (bridgeSigma > 0) new PhiloxNormals(SeedMixer.Derive(seed, PurposeBridge)).FillStream((ulong)step, 0, bridge.AsSpan(0, rows * d));
        int width = d + 2;
        for (int r = 0; r < rows; r++)
        {
            double t, factor = 1;
            if (timeSampler is null) t = objective.SampleTime(uniforms[r], normals[r]);
            else (t, factor) = timeSampler.Sample(uniforms[r]);
            var p = objective.Precondition(t);
            double w = factor * objective.Row(t, x0.AsSpan(r * d, d), eps.Slice(r * d, d), xt, target);
            if (bridgeSigma > 0) BrownianBridgeNoise.Add(t, bridgeSigma, bridge.AsSpan(r * d, d), xt, target);
            for (int j = 0; j < d; j++)
            {
                inputs[r * width + j] = T.CreateChecked(p.In * xt[j]);
                targets[r * d + j] = T.CreateChecked(target[j]);
            }
            inputs[r * width + d] = T.CreateChecked(p.Noise);
            inputs[r * width + d + 1] = T.CreateChecked(w);
        }
        int[]? labels = mb.Labels;
        if (labels is not null && Options.LabelDropout > 0)
            for (int r = 0; r < rows; r++)
                if (uniforms[rows + r] < Options.LabelDropout) labels[r] = Network.NullLabel;
        var prepared = new Minibatch<T>(Tensor<T>.Wrap(inputs, rows, width), Tensor<T>.Wrap(targets, rows, d), labels, mb.Rows);
        return trainer.Step(prepared);
    }

    Tensor<T> Loss(Minibatch<T> shard, TrainingContext context)
    {
        var all = shard.Inputs;
        var x = Ops.Narrow(all, 1, 0, d);
        var tau = Ops.Reshape(Ops.Narrow(all, 1, d, 1), [shard.Count]);
        var w = Ops.Narrow(all, 1, d + 1, 1);
        var f = Network.Forward(x, tau, shard.Labels);
        return Ops.WeightedMse(f, shard.Targets!, w);
    }

    /// <summary>The trained model (EMA weights when there is an average) for label <paramref name="label"/> (null: unconditional / the null label).</summary>
    public NetworkDiffusionModel<T> Model(int? label = null)
    {
        var copy = new DiffusionNetwork<T>(Network.Spec, 0);
        var source = Network.Parameters();
        var destination = copy.Parameters();
        if (Ema is not null) Ema.CopyTo(destination);
        else for (int i = 0; i < source.Count; i++) destination[i].CopyFrom(source[i]);
        return new NetworkDiffusionModel<T>(copy, Options.Objective, label);
    }

    /// <summary>Writes the whole training state (weights, Adam, EMA, loader position) and the model description, atomically.</summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var meta = new Dictionary<string, string>(ModelDescription.ToMetadata(Options.Objective, Network.Spec, typeof(T) == typeof(float) ? "float32" : "float64"));
        meta["drift.coupling"] = Options.Coupling.ToString();
        meta["drift.time_sampling"] = Options.TimeSampling.ToString();
        if (Options.PairedNoise is not null) meta["drift.reflow"] = "paired";
        meta["drift.seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture);
        meta["drift.batch"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture);
        meta[TrainedModel.DataMeanKey] = string.Join(',', DataMean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta[k] = v;
        Checkpoint.SaveTraining(path, Network.NamedParameters(), Optimiser, Ema, loader, meta);
    }

    /// <summary>Restores a state written by <see cref="SaveCheckpoint"/> by a trainer built with the same data and options.</summary>
    /// <exception cref="InvalidDataException">The file describes another objective or network, or does not fit.</exception>
    public void LoadCheckpoint(string path)
    {
        var file = SafeTensorsFile.Read(path);
        var (objective, spec, _) = ModelDescription.FromMetadata(file.Metadata, path);
        if (spec != Network.Spec) throw new InvalidDataException($"{path}: the checkpoint's network {spec} differs from this trainer's {Network.Spec}.");
        if (ModelDescription.Describe(objective) != ModelDescription.Describe(Options.Objective))
            throw new InvalidDataException($"{path}: the checkpoint's objective ({ModelDescription.Describe(objective)}) differs from this trainer's ({ModelDescription.Describe(Options.Objective)}).");
        Checkpoint.LoadTraining(path, Network.NamedParameters(), Optimiser, Ema, loader);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => trainer.Dispose();
}
