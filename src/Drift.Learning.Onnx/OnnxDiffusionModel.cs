using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;

namespace Drift.Learning.Onnx;

/// <summary>
/// An ONNX score / velocity / denoiser network as an <see cref="IDiffusionModel"/>: <see cref="Evaluate"/> writes
/// P(x, t) = y(x, t[, label]) — the graph's output for the raw state x and the raw time t of the forward process
/// x_t = α_t x₀ + σ_t ε — in the parameterisation <see cref="Prediction"/>, so every sampler, guidance wrapper and
/// likelihood of Drift.Generative runs on it unchanged.
/// </summary>
/// <remarks>
/// <para>Any preconditioning (time rescaling such as Drift's τ = 1000·(t − t_min)/(T − t_min), c_in, c_skip, c_out)
/// belongs inside the graph. The schedule and prediction come from the model's metadata_props — "drift.schedule"
/// (vp, vp-cosine, subvp, ve, edm, rf, mr, si-linear, si-trig; the last two with "drift.interpolant_noise") and
/// "drift.prediction" (eps, x0, v, score, velocity) — or from the constructor's arguments, which take precedence. A
/// class-conditional network declares "drift.classes" = C: labels lie in [0, C) and C is the null label of
/// classifier-free guidance.</para>
/// <para>A batch is one session run with all rows at the same t. One instance serves one thread at a time (the
/// interface's contract); instances made by <see cref="WithLabel"/> share the network.</para>
/// </remarks>
public sealed class OnnxDiffusionModel : IDiffusionModel
{
    double[] times = [];
    long[] labels = [];

    /// <summary>Wraps a network.</summary>
    /// <param name="network">The ONNX network (owned by the caller, who disposes it after the last use).</param>
    /// <param name="schedule">The schedule (null: metadata "drift.schedule").</param>
    /// <param name="prediction">The parameterisation of the output (null: metadata "drift.prediction").</param>
    /// <param name="label">The class of a conditional network (null: the null label).</param>
    /// <exception cref="InvalidDataException">Schedule or prediction neither given nor in the metadata (or malformed there).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label outside [0, classes), a label for an unlabelled network, or a conditional network without "drift.classes".</exception>
    public OnnxDiffusionModel(OnnxNetwork network, NoiseSchedule? schedule = null, Prediction? prediction = null, int? label = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (prediction is { } p && !Enum.IsDefined(p)) throw new ArgumentOutOfRangeException(nameof(prediction), p, "unknown prediction.");
        if (!network.HasLabel && label is not null)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"{network.Source} takes no label input; it is unconditional.");
        if (network.HasLabel && network.Classes == 0)
            throw new ArgumentOutOfRangeException(nameof(network), $"{network.Source} takes a label but declares no metadata 'drift.classes' (labels in [0, C), C the null label).");
        if (label is { } l && (l < 0 || l >= network.Classes))
            throw new ArgumentOutOfRangeException(nameof(label), label, $"the label must lie in [0, {network.Classes}).");
        Network = network;
        Label = label;
        Schedule = schedule ?? ScheduleOf(network);
        Prediction = prediction ?? PredictionOf(network);
    }

    /// <summary>The network.</summary>
    public OnnxNetwork Network { get; }
    /// <summary>The class label, or null (unconditional, or the null label of a conditional network).</summary>
    public int? Label { get; }
    /// <inheritdoc/>
    public int Dimension => Network.Dimension;
    /// <inheritdoc/>
    public NoiseSchedule Schedule { get; }
    /// <inheritdoc/>
    public Prediction Prediction { get; }

    /// <summary>The same network with another label (for classifier-free guidance: a labelled and an unlabelled model).</summary>
    public OnnxDiffusionModel WithLabel(int? label) => new(Network, Schedule, Prediction, label);

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (times.Length < samples)
        {
            times = new double[samples];
            if (Network.HasLabel)
            {
                labels = new long[samples];
                Array.Fill(labels, Label ?? Network.Classes);
            }
        }
        Array.Fill(times, t, 0, samples);
        Network.Evaluate(x, times.AsSpan(0, samples), Network.HasLabel ? labels.AsSpan(0, samples) : default, output, samples);
    }

    static NoiseSchedule ScheduleOf(OnnxNetwork network)
    {
        string name = Required(network, "drift.schedule", "schedule");
        double noise = 0;
        if (network.Metadata.TryGetValue("drift.interpolant_noise", out var text)
            && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out noise))
            throw new InvalidDataException($"{network.Source}: metadata 'drift.interpolant_noise' = '{text}' is not a number.");
        try
        {
            return ModelDescription.CreateSchedule(name, noise);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{network.Source}: metadata 'drift.schedule': {e.Message}", e);
        }
    }

    static Prediction PredictionOf(OnnxNetwork network)
    {
        try
        {
            return ModelDescription.ParsePrediction(Required(network, "drift.prediction", "prediction"));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{network.Source}: metadata 'drift.prediction': {e.Message}", e);
        }
    }

    static string Required(OnnxNetwork network, string key, string argument) => network.Metadata.TryGetValue(key, out var v) ? v
        : throw new InvalidDataException($"{network.Source}: metadata key '{key}' is missing; add it to the model's metadata_props or pass the {argument}.");
}
