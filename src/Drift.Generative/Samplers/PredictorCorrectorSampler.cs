using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3): at each t_i, M Langevin corrector
/// steps x ← x + εs + √(2ε)z, then one predictor step to t_{i+1}. NFE = M + 1 per step.
/// </summary>
/// <remarks><para>The reference step is ε = 2a(r‖z‖/‖s‖)² with norms averaged over the batch (a = (α_i/α_{i+1})²,
/// signal-to-noise ratio r). Batch averages would make a sample depend on its batch-mates and
/// per-sample norms explode where ‖s‖ → 0 at a mode, so this implementation uses the value that rule
/// takes when ‖z‖² = d and ‖s‖² equals its noise-level expectation d/σ_i²: ε = 2a r² σ_i².
/// Corrector noise comes from Brownian channels 1..M.</para>
/// <para>With a finite damping λ the corrector is the Levenberg–Marquardt–Langevin (LML) step of Wang et al. 2025
/// (arXiv 2505.24222): the Langevin step preconditioned by the damped low-rank curvature estimate,
/// x ← x + ε P s + √(2ε) P^{1/2} z with P = λ(λI + u uᵀ)⁻¹ = I − u uᵀ/(λ + ‖u‖²), u = σ_i s (the noise prediction,
/// whose outer product is the rank-one Fisher estimate of −σ_i²∇²log p_t), per sample; see
/// <see cref="LevenbergMarquardtLangevin"/>. Same NFE as the plain corrector; λ → ∞ is the plain corrector.</para></remarks>
public sealed class PredictorCorrectorSampler : DiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="predictor">The predictor.</param>
    /// <param name="snr">Langevin signal-to-noise ratio r ≥ 0.</param>
    /// <param name="correctorSteps">Corrector steps M per time, 0..8.</param>
    /// <param name="damping">LML damping λ &gt; 0 of the corrector's preconditioner; +∞ (default) is the plain Langevin corrector.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative SNR, corrector steps outside 0..8, or λ not positive.</exception>
    public PredictorCorrectorSampler(PredictorKind predictor = PredictorKind.ReverseDiffusion, double snr = 0.16, int correctorSteps = 1,
        double damping = double.PositiveInfinity)
    {
        if (!(snr >= 0) || !double.IsFinite(snr)) throw new ArgumentOutOfRangeException(nameof(snr), snr, "snr must be finite and non-negative.");
        if (!(damping > 0)) throw new ArgumentOutOfRangeException(nameof(damping), damping, "the LML damping λ must be positive (+∞: plain Langevin).");
        Damping = damping;
        if (correctorSteps is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(correctorSteps), correctorSteps, "corrector steps must lie in 0..8.");
        Predictor = predictor;
        Snr = snr;
        CorrectorSteps = correctorSteps;
    }

    /// <summary>The predictor.</summary>
    public PredictorKind Predictor { get; }
    /// <summary>Langevin signal-to-noise ratio r.</summary>
    public double Snr { get; }
    /// <summary>Langevin steps M per time.</summary>
    public int CorrectorSteps { get; }
    /// <summary>LML damping λ of the corrector (+∞: plain Langevin).</summary>
    public double Damping { get; }

    /// <inheritdoc/>
    public override string Name => double.IsPositiveInfinity(Damping) ? "pc" : "pc-lml";
    /// <inheritdoc/>
    public override bool IsStochastic => true;
    /// <inheritdoc/>
    protected internal override int NoiseChannels => 1 + CorrectorSteps;
    /// <inheritdoc/>
    protected internal override int BufferCount => 1;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.EndsAtZeroNoise
        ? (CorrectorSteps + 1) * (grid.Steps - 1) + 1
        : (CorrectorSteps + 1) * grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var sch = g.Schedule;
        var s = context.Buffer(0);
        for (int i = 0; i < g.Steps; i++)
        {
            double t = g.Time(i);
            double ratio = g.Alpha(i) / g.Alpha(i + 1);
            if (!(i == g.Steps - 1 && g.EndsAtZeroNoise))
            {
                for (int m = 0; m < CorrectorSteps; m++)
                {
                    context.Predict(t, x, s, Prediction.Score);
                    var z = context.Noise(i, 1 + m);
                    double eps = 2 * ratio * ratio * Snr * Snr * g.Sigma(i) * g.Sigma(i);
                    if (double.IsPositiveInfinity(Damping))
                    {
                        double noise = Math.Sqrt(2 * eps);
                        for (int k = 0; k < x.Length; k++) x[k] += eps * s[k] + noise * z[k];
                    }
                    else LevenbergMarquardtLangevin.Step(x, s, z, eps, g.Sigma(i), Damping, context.Dimension);
                }
            }
            else
            {
                DenoiseStep(context, x, s, evaluate: true);
                break;
            }
            context.Predict(t, x, s, Prediction.Score);
            var zp = context.Noise(i, 0);
            if (Predictor == PredictorKind.ReverseDiffusion)
            {
                double a = ratio, g2 = g.Sigma(i) * g.Sigma(i) - a * a * g.Sigma(i + 1) * g.Sigma(i + 1);
                double gg = Math.Sqrt(Math.Max(g2, 0));
                for (int k = 0; k < x.Length; k++) x[k] = (2 - a) * x[k] + g2 * s[k] + gg * zp[k];
            }
            else
            {
                double dt = g.Time(i + 1) - t;
                double f = sch.DriftCoefficient(t), g2 = sch.DiffusionSquared(t);
                double noise = Math.Sqrt(g2 * -dt);
                for (int k = 0; k < x.Length; k++) x[k] = (1 + f * dt) * x[k] - g2 * dt * s[k] + noise * zp[k];
            }
        }
    }
}
