using Drift.Generative.Grids;
using Drift.Generative.Samplers;
using Drift.Random;

namespace Drift.Generative.Guidance;

/// <summary>
/// Inpainting by replacement (Song et al. 2021, App. I.2; Lugmayr et al. 2022 without resampling): an
/// inner sampler takes each grid step t_i → t_{i+1} for all coordinates, then the known coordinates are
/// overwritten by the forward-noised data α_{i+1}y + σ_{i+1}ε with fresh ε each step; at the end they
/// hold y itself.
/// </summary>
/// <remarks>
/// <para>The inner sampler is restarted on every one-step grid [t_i, t_{i+1}], so a multistep sampler acts
/// in its first-order warm-up form; single-step samplers (DDPM/DDIM, Euler–Maruyama, DPM-Solver-2, Heun)
/// are unaffected. Brownian noise of a stochastic inner sampler is the same path as on the full grid
/// (trees are keyed by (seed, sample) in logSNR). ε for the known coordinates is Philox normal draw
/// i·m + j of stream (sample) under a seed derived from the run's seed. NFE = Σ over steps of the
/// inner sampler's one-step NFE.</para>
/// <para><b>Approximation.</b> Replacement evaluates the joint score at a noised copy of y instead of the
/// conditional score ∇log p_t(x_u | x₀[known] = y), so it is exact only when the known and unknown
/// coordinates are independent (tested: the unknown coordinates then equal the plain sampler's).
/// Correlated coordinates come out biased: on <c>gauss2d</c> with x₀[0] = 1.5 and DDPM (100 steps) the
/// unknown mean is −0.255 against the exact −0.1875 and the variance 0.054 against 0.044.</para>
/// </remarks>
public sealed class InpaintingSampler : DiffusionSampler
{
    private readonly DiffusionSampler _inner;
    private readonly int[] _known;
    private readonly double[] _values;

    /// <summary>Wraps <paramref name="inner"/> with the known coordinates <paramref name="known"/> fixed to <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">Indices repeat or are negative, counts differ, a value is not finite, or the inner sampler is itself an inpainting sampler.</exception>
    public InpaintingSampler(DiffusionSampler inner, IReadOnlyList<int> known, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(values);
        if (inner is InpaintingSampler) throw new ArgumentException("the inner sampler is already an inpainting sampler.", nameof(inner));
        if (known.Count != values.Count) throw new ArgumentException($"{known.Count} indices but {values.Count} values.", nameof(values));
        if (known.Count == 0 || known.Distinct().Count() != known.Count || known.Any(i => i < 0))
            throw new ArgumentException("known indices must be distinct, non-negative and at least one.", nameof(known));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("known values must be finite.", nameof(values));
        _inner = inner;
        _known = [.. known];
        _values = [.. values];
    }

    /// <summary>The known coordinate indices.</summary>
    public IReadOnlyList<int> Known => _known;

    /// <inheritdoc/>
    public override string Name => $"inpaint-{_inner.Name}";

    /// <inheritdoc/>
    public override bool IsStochastic => true;

    /// <inheritdoc/>
    protected internal override int BufferCount => 0;

    /// <inheritdoc/>
    protected internal override int NoiseChannels => 0;

    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int total = 0;
        for (int i = 0; i < grid.Steps; i++) total += _inner.Evaluations(Step(grid, i));
        return total;
    }

    private static SamplingGrid Step(SamplingGrid grid, int i) => new(grid.Schedule, [grid.Time(i), grid.Time(i + 1)]);

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = context.Grid;
        int d = context.Dimension, count = context.Count, m = _known.Length;
        if (_known.Max() >= d) throw new ArgumentException($"known index {_known.Max()} is outside the model's {d} coordinates.", nameof(context));
        var normals = new PhiloxNormals(SeedMixer.Derive(context.Seed, 40));
        for (int i = 0; i < g.Steps; i++)
        {
            int nfe = _inner.Run(context.Model, Step(g, i), x, count, context.Seed, context.FirstSample, count, null, CancellationToken.None);
            context.AddEvaluations(nfe);
            bool last = i == g.Steps - 1;
            double a = g.Alpha(i + 1), s = g.Sigma(i + 1);
            for (int r = 0; r < count; r++)
            {
                ulong stream = (ulong)(context.FirstSample + r);
                for (int j = 0; j < m; j++)
                    x[r * d + _known[j]] = last ? _values[j] : a * _values[j] + s * normals.Draw(stream, (ulong)(i * m + j));
            }
        }
    }
}
