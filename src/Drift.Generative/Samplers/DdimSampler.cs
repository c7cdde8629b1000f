using Drift.Generative.Grids;
using Drift.Numerics;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// DDIM (Song, Meng &amp; Ermon 2021) with stochasticity η, for any schedule. With x̂₀ = x̂₀(x_s, s),
/// ε̂ = (x_s − α_s x̂₀)/σ_s, h = λ_t − λ_s and c = η σ_t √(1 − e^{−2h}):
/// x_t = α_t x̂₀ + √(σ_t² − c²) ε̂ + c z. η = 0 is the deterministic DDIM = DPM-Solver-1 (first-order
/// exponential integrator of the probability-flow ODE); η = 1 is DDPM ancestral sampling
/// (the exact posterior q(x_t | x_s, x̂₀)).
/// </summary>
public sealed class DdimSampler : DiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="eta">η ∈ [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">η outside [0, 1].</exception>
    public DdimSampler(double eta = 0)
    {
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1].");
        Eta = eta;
    }

    /// <summary>DDPM ancestral sampling: DDIM with η = 1.</summary>
    public static DdimSampler Ancestral { get; } = new(1);

    /// <summary>η.</summary>
    public double Eta { get; }

    /// <inheritdoc/>
    public override string Name => Eta == 0 ? "ddim" : Eta == 1 ? "ddpm" : $"ddim-eta{Eta}";
    /// <inheritdoc/>
    public override bool IsStochastic => Eta > 0;
    /// <inheritdoc/>
    protected internal override int BufferCount => 1;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var d = context.Buffer(0);
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, d, evaluate: true);
                break;
            }
            context.Data(g.Time(i), x, d);
            double h = g.LogSnr(i + 1) - g.LogSnr(i);
            double rho = Math.Sqrt(1 + Eta * Eta * NoiseSchedule.ExpM1(-2 * h));
            double cx = g.Sigma(i + 1) * rho / g.Sigma(i);
            double cd = g.Alpha(i + 1) * (-NoiseSchedule.ExpM1(-h) + Math.Exp(-h) * (1 - rho));
            if (Eta == 0)
            {
                Dense.Combine(x, cx, x, cd, d);
                continue;
            }
            double c = Eta * g.Sigma(i + 1) * Math.Sqrt(-NoiseSchedule.ExpM1(-2 * h));
            Dense.Combine(x, cx, x, cd, d, c, context.Noise(i, 0));
        }
    }
}
