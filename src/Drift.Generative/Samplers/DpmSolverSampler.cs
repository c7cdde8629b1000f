using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Numerics;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// Singlestep DPM-Solver-1, -2 and -3 (Lu et al. 2022, Algorithms 1–2), noise prediction, for the
/// probability-flow ODE written as x_t = (α_t/α_s)x_s − α_t∫e^{−λ}ε̂ dλ. With h = λ_t − λ_s and
/// intermediate times s_j = t(λ_s + r_j h):
/// <list type="bullet">
/// <item>order 1: x_t = (α_t/α_s)x_s − σ_t(e^h − 1)ε_s (= DDIM);</item>
/// <item>order 2 (r₁ = ½): u = (α_{s₁}/α_s)x_s − σ_{s₁}(e^{r₁h} − 1)ε_s;
/// x_t = (α_t/α_s)x_s − σ_t(e^h − 1)ε_s − σ_t/(2r₁)(e^h − 1)(ε(u, s₁) − ε_s);</item>
/// <item>order 3 (r₁ = ⅓, r₂ = ⅔): u₁ as above; D₁ = ε(u₁) − ε_s;
/// u₂ = (α_{s₂}/α_s)x_s − σ_{s₂}(e^{r₂h} − 1)ε_s − σ_{s₂}(r₂/r₁)((e^{r₂h} − 1)/(r₂h) − 1)D₁;
/// D₂ = ε(u₂) − ε_s; x_t = (α_t/α_s)x_s − σ_t(e^h − 1)ε_s − (σ_t/r₂)((e^h − 1)/h − 1)D₂.</item>
/// </list>
/// NFE = order per step (the step into σ = 0, if any, is the one-evaluation denoising step).
/// </summary>
public sealed class DpmSolverSampler : DiffusionSampler
{
    /// <summary>Creates DPM-Solver of the given order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Order outside 1..3.</exception>
    public DpmSolverSampler(int order)
    {
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "DPM-Solver order must be 1, 2 or 3.");
        Order = order;
    }

    /// <summary>Order k.</summary>
    public int Order { get; }
    /// <inheritdoc/>
    public override string Name => $"dpm-solver-{Order}";
    /// <inheritdoc/>
    public override bool IsStochastic => false;
    /// <inheritdoc/>
    protected internal override int BufferCount => 4;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.EndsAtZeroNoise ? Order * (grid.Steps - 1) + 1 : Order * grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var sch = g.Schedule;
        Span<double> e0 = context.Buffer(0), u = context.Buffer(1), e1 = context.Buffer(2), e2 = context.Buffer(3);
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, e0, evaluate: true);
                break;
            }
            double ls = g.LogSnr(i), h = g.LogSnr(i + 1) - ls;
            double aS = g.Alpha(i), aT = g.Alpha(i + 1), sT = g.Sigma(i + 1);
            double phi = NoiseSchedule.ExpM1(h);
            context.Predict(g.Time(i), x, e0, Prediction.Noise);
            if (Order == 1)
            {
                Dense.Combine(x, aT / aS, x, -sT * phi, e0);
                continue;
            }
            double r1 = Order == 2 ? 0.5 : 1.0 / 3;
            double s1 = sch.TimeOfLogSnr(ls + r1 * h);
            double a1 = sch.Alpha(s1), sg1 = sch.Sigma(s1);
            Dense.Combine(u, a1 / aS, x, -sg1 * NoiseSchedule.ExpM1(r1 * h), e0);
            context.Predict(s1, u, e1, Prediction.Noise);
            if (Order == 2)
            {
                // x_t = (α_t/α_s)x − σ_t φ ε_s − σ_t/(2r₁) φ (ε₁ − ε_s)
                double c = sT / (2 * r1) * phi;
                Dense.Combine(x, aT / aS, x, -sT * phi + c, e0, -c, e1);
                continue;
            }
            const double r2 = 2.0 / 3;
            double s2 = sch.TimeOfLogSnr(ls + r2 * h);
            double a2 = sch.Alpha(s2), sg2 = sch.Sigma(s2);
            double phi2 = NoiseSchedule.ExpM1(r2 * h);
            // D₁ = ε₁ − ε_s; u₂ = (α₂/α_s)x − σ₂φ₂ε_s − σ₂(r₂/r₁)(φ₂/(r₂h) − 1)D₁
            double c1 = sg2 * (r2 / r1) * (phi2 / (r2 * h) - 1);
            Dense.Combine(u, a2 / aS, x, -sg2 * phi2 + c1, e0, -c1, e1);
            context.Predict(s2, u, e2, Prediction.Noise);
            double c2 = sT / r2 * (phi / h - 1);
            Dense.Combine(x, aT / aS, x, -sT * phi + c2, e0, -c2, e2);
        }
    }
}
