using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// A diffusion sampler: integrates a batch from the grid's first time (x ~ p_T, supplied by the caller)
/// to its last, with the model's predictions, in place.
/// </summary>
/// <remarks>
/// Samples are processed in chunks (all steps of one chunk, then the next), which keeps the
/// precomputed Brownian noise of a chunk small; every sample's result depends only on (seed, its index),
/// never on the chunk size. See <see cref="SamplingGrid"/> for the final-step policy.
/// </remarks>
public abstract class DiffusionSampler
{
    /// <summary>Short name, as the CLI spells it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the sampler draws noise (then a seed matters).</summary>
    public abstract bool IsStochastic { get; }

    /// <summary>Independent normal vectors per step and sample (0 for deterministic samplers).</summary>
    protected internal virtual int NoiseChannels => IsStochastic ? 1 : 0;

    /// <summary>The reversion mean μ for mean-reverting sampling (the sampler then integrates x − μ), or null.</summary>
    protected virtual IReadOnlyList<double>? Center => null;

    /// <summary>Work buffers of chunk·d values the sampler needs.</summary>
    protected internal abstract int BufferCount { get; }

    /// <summary>Model evaluations per sample for a grid (the NFE).</summary>
    public abstract int Evaluations(SamplingGrid grid);

    /// <summary>
    /// Integrates <paramref name="samples"/> sample-major rows of <paramref name="x"/> (each x ~ p_{t₀}
    /// on entry) along <paramref name="grid"/>; on return x holds the samples at t_N.
    /// </summary>
    /// <param name="model">The diffusion model (any parameterisation).</param>
    /// <param name="grid">The time grid; its schedule must agree with the model's.</param>
    /// <param name="x">Samples × d values, overwritten.</param>
    /// <param name="samples">Number of rows.</param>
    /// <param name="seed">Seed of the Brownian paths (stochastic samplers).</param>
    /// <param name="firstSample">Global index of row 0 (for sharded runs).</param>
    /// <param name="chunkSize">Rows integrated together (0 chooses).</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns>The NFE per sample.</returns>
    /// <exception cref="ArgumentException">Shapes or schedules disagree.</exception>
    public int Sample(IDiffusionModel model, SamplingGrid grid, Span<double> x, int samples, ulong seed = 0, long firstSample = 0,
        int chunkSize = 0, CancellationToken cancellationToken = default)
        => Run(model, grid, x, samples, seed, firstSample, chunkSize, Center, cancellationToken);

    internal int Run(IDiffusionModel model, SamplingGrid grid, Span<double> x, int samples, ulong seed, long firstSample,
        int chunkSize, IReadOnlyList<double>? center, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        CheckSchedules(model, grid);
        int d = model.Dimension;
        if (center is not null && center.Count != d) throw new ArgumentException($"the reversion mean has {center.Count} values, the model dimension is {d}.", nameof(model));
        if (x.Length < (long)samples * d) throw new ArgumentException($"x needs {samples}·{d} values, got {x.Length}.", nameof(x));
        if (samples == 0) return Evaluations(grid);
        OnRunStarting();
        int channels = NoiseChannels;
        if (chunkSize == 0)
        {
            long perSample = (long)d * Math.Max(1, channels * grid.Steps);
            chunkSize = (int)Math.Clamp((1 << 21) / perSample, 64, 1024);
        }
        chunkSize = Math.Min(chunkSize, samples);
        var ctx = new SamplerContext(model, grid, chunkSize, BufferCount, channels, center);
        int nfe = 0;
        for (int start = 0; start < samples; start += chunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(chunkSize, samples - start);
            var chunk = x.Slice(start * d, count * d);
            ctx.Begin(count, seed, firstSample + start, chunk);
            Integrate(ctx, chunk);
            ctx.End(chunk);
            nfe = ctx.Evaluations;
        }
        return OnRunFinished(nfe);
    }

    /// <summary>Called once before the first chunk of a run (samplers that keep per-run statistics reset them here).</summary>
    private protected virtual void OnRunStarting()
    {
    }

    /// <summary>The NFE a run reports, given the last chunk's count (adaptive samplers report their own mean).</summary>
    private protected virtual int OnRunFinished(int lastChunkEvaluations) => lastChunkEvaluations;

    /// <summary>Integrates one chunk along the grid, in place.</summary>
    protected internal abstract void Integrate(SamplerContext context, Span<double> x);

    /// <summary>
    /// The step into σ = 0 (final-step policy): x ← α_N·x̂₀(x, t_{N−1}) using <paramref name="data"/>, the
    /// data prediction at x (already evaluated, or evaluated here when <paramref name="evaluate"/>).
    /// </summary>
    protected static void DenoiseStep(SamplerContext context, Span<double> x, Span<double> data, bool evaluate)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = context.Grid;
        int i = g.Steps - 1;
        if (evaluate) context.Data(g.Time(i), x, data);
        double a = g.Alpha(i + 1);
        for (int k = 0; k < x.Length; k++) x[k] = a * data[k];
    }

    private static void CheckSchedules(IDiffusionModel model, SamplingGrid grid)
    {
        var a = model.Schedule;
        var b = grid.Schedule;
        if (ReferenceEquals(a, b)) return;
        double t = grid.Time(0);
        if (a.Name != b.Name || Math.Abs(a.Alpha(t) - b.Alpha(t)) > 1e-12 || Math.Abs(a.Sigma(t) - b.Sigma(t)) > 1e-12 * Math.Max(1, b.Sigma(t)))
            throw new ArgumentException($"the grid's schedule ({b.Name}) differs from the model's ({a.Name}).", nameof(grid));
    }
}
