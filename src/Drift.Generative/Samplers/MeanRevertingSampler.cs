using Drift.Generative.Grids;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// MR Sampler (Li et al. 2024, "MRS: a fast sampler for mean reverting diffusion") for the IR-SDE
/// dx = θ_t(μ − x)dt + σ_t dW: the semi-analytic data-prediction solution in the deviation y = x − μ,
/// y_t = (σ_t/σ_s)y_s + α_t(1 − e^{−h})(x̂₀ − μ) (ODE, orders 1–2 multistep in λ), or
/// y_t = (σ_t/σ_s)e^{−h}y_s + α_t(1 − e^{−2h})(x̂₀ − μ) + σ_t√(1 − e^{−2h})z (SDE, orders 1–2).
/// The model is evaluated at x = μ + y; the grid's schedule should be a <see cref="MeanRevertingSchedule"/>.
/// </summary>
public sealed class MeanRevertingSampler : DiffusionSampler
{
    private readonly double[] _mean;
    private readonly DpmSolverPlusPlusMultistepSampler _core;

    /// <summary>Creates the sampler for reversion mean <paramref name="mean"/>.</summary>
    /// <param name="mean">μ, one value per coordinate.</param>
    /// <param name="order">1 or 2.</param>
    /// <param name="stochastic">Solve the reverse SDE instead of the probability-flow ODE.</param>
    /// <exception cref="ArgumentException">Empty mean or bad order.</exception>
    public MeanRevertingSampler(IReadOnlyList<double> mean, int order = 2, bool stochastic = false)
    {
        ArgumentNullException.ThrowIfNull(mean);
        if (mean.Count == 0) throw new ArgumentException("the mean needs at least one value.", nameof(mean));
        if (order is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(order), order, "MRS order must be 1 or 2.");
        _mean = mean.ToArray();
        _core = new DpmSolverPlusPlusMultistepSampler(order, stochastic);
    }

    /// <summary>The reversion mean μ.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <inheritdoc/>
    public override string Name => _core.Stochastic ? $"mrs-sde-{_core.Order}" : $"mrs-{_core.Order}";
    /// <inheritdoc/>
    public override bool IsStochastic => _core.Stochastic;
    /// <inheritdoc/>
    protected internal override int BufferCount => _core.BufferCount;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => _core.Evaluations(grid);

    /// <inheritdoc/>
    protected override IReadOnlyList<double>? Center => _mean;
    /// <inheritdoc/>
    protected internal override int NoiseChannels => _core.NoiseChannels;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x) => _core.Integrate(context, x);
}
