using Drift.Brownian;
using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// What a sampler sees while it integrates one chunk of samples: the model (converted to the
/// parameterisation it asks for), the grid, preallocated buffers and the chunk's Brownian noise.
/// </summary>
/// <remarks>
/// <para>Noise: sample s owns one Brownian path W in logSNR time τ = λ, a virtual
/// <see cref="BrownianTree"/> keyed by (seed, s) on a fixed interval, with (channels·d) components.
/// The standard normal of channel c for step i is z = (W(λ_{i+1}) − W(λ_i))/√(λ_{i+1} − λ_i), so a
/// grid and a refinement of it (any grid whose λ's nest) see the same Brownian path.</para>
/// <para>All buffers are allocated once per <see cref="DiffusionSampler.Sample"/> call; nothing is
/// allocated per step.</para>
/// </remarks>
public sealed class SamplerContext
{
    /// <summary>The logSNR interval on which every Brownian tree lives (fixed so that grids share paths).</summary>
    public const double NoiseHorizon = 40;

    private readonly double[][] _buffers;
    private readonly double[] _noise;
    private readonly double[] _center;
    private readonly double[] _shifted;
    private int _count;

    internal SamplerContext(IDiffusionModel model, SamplingGrid grid, int chunk, int buffers, int channels, IReadOnlyList<double>? center)
    {
        Model = model;
        Grid = grid;
        Dimension = model.Dimension;
        Channels = channels;
        _buffers = new double[buffers][];
        for (int i = 0; i < buffers; i++) _buffers[i] = new double[chunk * Dimension];
        _noise = channels > 0 ? new double[grid.Steps * chunk * Dimension * channels] : [];
        _center = center?.ToArray() ?? [];
        _shifted = _center.Length > 0 ? new double[chunk * Dimension] : [];
        Capacity = chunk;
    }

    /// <summary>The model.</summary>
    public IDiffusionModel Model { get; }
    /// <summary>The grid.</summary>
    public SamplingGrid Grid { get; }
    /// <summary>Data dimension d.</summary>
    public int Dimension { get; }
    /// <summary>Independent noise channels per step.</summary>
    public int Channels { get; }
    /// <summary>Largest chunk.</summary>
    public int Capacity { get; }
    /// <summary>Samples in the current chunk.</summary>
    public int Count => _count;
    /// <summary>Seed of the current run's Brownian paths.</summary>
    public ulong Seed { get; private set; }
    /// <summary>Global index of the current chunk's first sample.</summary>
    public long FirstSample { get; private set; }
    /// <summary>Model evaluations made for the current chunk (NFE per sample).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Buffer <paramref name="index"/>, Count·d values.</summary>
    public Span<double> Buffer(int index) => _buffers[index].AsSpan(0, _count * Dimension);

    /// <summary>Standard normals of channel <paramref name="channel"/> for step <paramref name="step"/>, Count·d values.</summary>
    public ReadOnlySpan<double> Noise(int step, int channel)
    {
        int n = _count * Dimension;
        return _noise.AsSpan(((step * Channels) + channel) * Capacity * Dimension, n);
    }

    /// <summary>
    /// Evaluates the model at time <paramref name="t"/> and writes its prediction in parameterisation
    /// <paramref name="want"/>. With a center μ (mean-reverting sampling) x is the deviation from μ and
    /// data predictions are returned as deviations too.
    /// </summary>
    public void Predict(double t, ReadOnlySpan<double> x, Span<double> output, Prediction want)
    {
        int n = _count * Dimension;
        ReadOnlySpan<double> input = x[..n];
        if (_center.Length > 0)
        {
            for (int i = 0; i < n; i++) _shifted[i] = x[i] + _center[i % Dimension];
            input = _shifted.AsSpan(0, n);
        }
        Model.Evaluate(t, input, output[..n], _count);
        Evaluations++;
        if (_center.Length > 0 && Model.Prediction == Prediction.Data)
            for (int i = 0; i < n; i++) output[i] -= _center[i % Dimension];
        PredictionConverter.Convert(Model.Schedule, t, x[..n], output[..n], Model.Prediction, want);
    }

    /// <summary>The data prediction x̂₀(x, t).</summary>
    public void Data(double t, ReadOnlySpan<double> x, Span<double> output) => Predict(t, x, output, Prediction.Data);

    internal void Begin(int count, ulong seed, long firstSample, Span<double> x)
    {
        _count = count;
        Seed = seed;
        FirstSample = firstSample;
        Evaluations = 0;
        int n = count * Dimension;
        if (_center.Length > 0)
            for (int i = 0; i < n; i++) x[i] -= _center[i % Dimension];
        if (Channels == 0) return;
        int m = Dimension * Channels;
        double lo = -NoiseHorizon, hi = NoiseHorizon;
        for (int i = 0; i <= Grid.Steps; i++)
            if (double.IsFinite(Grid.LogSnr(i)))
            {
                lo = Math.Min(lo, Grid.LogSnr(i) - 1);
                hi = Math.Max(hi, Grid.LogSnr(i) + 1);
            }
        var tree = new BrownianTree(seed, firstSample, m, lo, hi, (hi - lo) * Math.ScaleB(1.0, -22));
        var dW = new double[m];
        for (int s = 0; s < count; s++)
        {
            tree.Reset(firstSample + s);
            for (int step = 0; step < Grid.Steps; step++)
            {
                double a = Grid.LogSnr(step), b = Grid.LogSnr(step + 1);
                if (!double.IsFinite(b)) continue;
                tree.Increment(a, b, dW, default);
                double scale = 1 / Math.Sqrt(b - a);
                for (int c = 0; c < Channels; c++)
                {
                    var dest = _noise.AsSpan(((step * Channels) + c) * Capacity * Dimension + s * Dimension, Dimension);
                    for (int j = 0; j < Dimension; j++) dest[j] = dW[c * Dimension + j] * scale;
                }
            }
        }
    }

    internal void End(Span<double> x)
    {
        int n = _count * Dimension;
        if (_center.Length > 0)
            for (int i = 0; i < n; i++) x[i] += _center[i % Dimension];
    }

    /// <summary>Adds evaluations made on the chunk's behalf outside <see cref="Predict"/> (by a wrapped sampler).</summary>
    internal void AddEvaluations(int evaluations) => Evaluations += evaluations;
}
