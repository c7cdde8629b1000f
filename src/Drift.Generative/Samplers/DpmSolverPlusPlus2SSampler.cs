using Drift.Generative.Grids;
using Drift.Numerics;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// DPM-Solver++(2S) (Lu et al. 2022b, Algorithm 1), singlestep second order with data prediction:
/// with h = λ_t − λ_s, r = ½, s₁ = t(λ_s + rh): u = (σ_{s₁}/σ_s)x_s − α_{s₁}(e^{−rh} − 1)D_s;
/// x_t = (σ_t/σ_s)x_s − α_t(e^{−h} − 1)((1 − 1/(2r))D_s + (1/(2r))D(u, s₁)). NFE = 2 per step.
/// </summary>
public sealed class DpmSolverPlusPlus2SSampler : DiffusionSampler
{
    /// <inheritdoc/>
    public override string Name => "dpmpp-2s";
    /// <inheritdoc/>
    public override bool IsStochastic => false;
    /// <inheritdoc/>
    protected internal override int BufferCount => 3;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.EndsAtZeroNoise ? 2 * grid.Steps - 1 : 2 * grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var sch = g.Schedule;
        Span<double> d0 = context.Buffer(0), u = context.Buffer(1), d1 = context.Buffer(2);
        const double r = 0.5;
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, d0, evaluate: true);
                break;
            }
            double ls = g.LogSnr(i), h = g.LogSnr(i + 1) - ls;
            double sS = g.Sigma(i), aT = g.Alpha(i + 1), sT = g.Sigma(i + 1);
            context.Data(g.Time(i), x, d0);
            double s1 = sch.TimeOfLogSnr(ls + r * h);
            Dense.Combine(u, sch.Sigma(s1) / sS, x, -sch.Alpha(s1) * NoiseSchedule.ExpM1(-r * h), d0);
            context.Data(s1, u, d1);
            double phi = -aT * NoiseSchedule.ExpM1(-h);
            Dense.Combine(x, sT / sS, x, phi * (1 - 1 / (2 * r)), d0, phi / (2 * r), d1);
        }
    }
}
