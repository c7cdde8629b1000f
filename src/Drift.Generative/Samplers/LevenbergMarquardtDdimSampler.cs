using Drift.Generative.Grids;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// DDIM with the Levenberg–Marquardt–Langevin (LML) direction of Wang et al. 2025 ("Unleashing high-quality image
/// generation in diffusion sampling using second-order Levenberg–Marquardt–Langevin"), in the form of the authors'
/// DDIM scheduler: training-free, no extra model evaluations.
/// </summary>
/// <remarks>
/// <para>Per step, with ε̂ the model's noise prediction at (x_s, s) and ε̄ = κ ε̂_prev + (1 − κ) ε̂ (ε̂_prev the previous
/// step's prediction; ε̄ = ε̂ at the first step), the curvature is approximated by the rank-one ε̄ε̄ᵀ and damped by λ;
/// by Sherman–Morrison λ(λI + ε̄ε̄ᵀ)⁻¹ε̂ = ε̂ − ε̄ (ε̄·ε̂)/(λ + ‖ε̄‖²). That direction, rescaled to the norm of ε̂, replaces
/// ε̂ in the DDIM update x_t = α_t x̂₀ + √(σ_t² − c²) ε_LM + c z (x̂₀ unchanged; c as in <see cref="DdimSampler"/>).
/// With κ = 0, ε̄ = ε̂ and the direction is ε̂ itself: plain DDIM. The paper states the method as a preconditioned
/// Langevin corrector; its published code applies it to the DDIM direction as above, which is what is implemented.</para>
/// <para>NFE = steps (the final step to σ = 0, if any, is the plain denoiser x̂₀).</para>
/// </remarks>
public sealed class LevenbergMarquardtDdimSampler : DiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="damping">λ &gt; 0 (large λ: plain DDIM).</param>
    /// <param name="momentum">κ ∈ [0, 1): weight of the previous prediction in ε̄.</param>
    /// <param name="eta">DDIM stochasticity η ∈ [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public LevenbergMarquardtDdimSampler(double damping = 1, double momentum = 0.5, double eta = 0)
    {
        if (!(damping > 0) || !double.IsFinite(damping)) throw new ArgumentOutOfRangeException(nameof(damping), damping, "the damping λ must be positive and finite.");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the momentum κ must lie in [0, 1).");
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1].");
        Damping = damping;
        Momentum = momentum;
        Eta = eta;
    }

    /// <summary>λ.</summary>
    public double Damping { get; }
    /// <summary>κ.</summary>
    public double Momentum { get; }
    /// <summary>η.</summary>
    public double Eta { get; }

    /// <inheritdoc/>
    public override string Name => "ddim-lml";
    /// <inheritdoc/>
    public override bool IsStochastic => Eta > 0;
    /// <inheritdoc/>
    protected internal override int BufferCount => 3;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        int dim = context.Dimension, rows = x.Length / dim;
        Span<double> data = context.Buffer(0), eps = context.Buffer(1), previous = context.Buffer(2);
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, data, evaluate: true);
                break;
            }
            context.Data(g.Time(i), x, data);
            double a = g.Alpha(i), s = g.Sigma(i), h = g.LogSnr(i + 1) - g.LogSnr(i);
            double c = Eta * g.Sigma(i + 1) * Math.Sqrt(-NoiseSchedule.ExpM1(-2 * h));
            double direction = Math.Sqrt(Math.Max(0, g.Sigma(i + 1) * g.Sigma(i + 1) - c * c)), kappa = Momentum;
            var z = c > 0 ? context.Noise(i, 0) : default;
            for (int r = 0; r < rows; r++)
            {
                int o = r * dim;
                double dot = 0, barSq = 0, epsSq = 0;
                for (int j = o; j < o + dim; j++)
                {
                    double e = (x[j] - a * data[j]) / s, bar = i == 0 ? e : kappa * previous[j] + (1 - kappa) * e;
                    eps[j] = e;
                    previous[j] = bar; // ε̄ for now; overwritten with ε̂ below
                    dot += bar * e;
                    barSq += bar * bar;
                    epsSq += e * e;
                }
                double shrink = dot / (Damping + barSq), lmSq = 0;
                for (int j = o; j < o + dim; j++)
                {
                    double v = eps[j] - shrink * previous[j];
                    previous[j] = v;
                    lmSq += v * v;
                }
                double scale = lmSq > 0 ? Math.Sqrt(epsSq / lmSq) : 1;
                for (int j = o; j < o + dim; j++)
                {
                    double lm = scale * previous[j];
                    x[j] = g.Alpha(i + 1) * data[j] + direction * lm + (c > 0 ? c * z[j] : 0);
                    previous[j] = eps[j];
                }
            }
        }
    }
}
