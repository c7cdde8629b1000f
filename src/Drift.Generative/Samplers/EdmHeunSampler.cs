using Drift.Generative.Grids;
using Drift.Numerics;

namespace Drift.Generative.Samplers;

/// <summary>
/// The EDM sampler (Karras et al. 2022, Algorithm 2): Heun's method on the probability-flow ODE in
/// scaled coordinates x̃ = x/α, σ̃ = σ/α = e^{−λ}, where dx̃/dσ̃ = (x̃ − D)/σ̃ for every schedule, with
/// optional churn. Step i: γ = min(S_churn/N, √2 − 1) when σ̃_i ∈ [S_tmin, S_tmax] (else 0);
/// σ̂ = σ̃_i(1 + γ); x̂ = x̃ + √(σ̂² − σ̃_i²)·S_noise·z; d = (x̂ − D(x̂, σ̂))/σ̂;
/// x̃' = x̂ + (σ̃_{i+1} − σ̂)d; if σ_{i+1} ≠ 0: x̃ = x̂ + (σ̃_{i+1} − σ̂)(d + d')/2 with d' at (x̃', σ̃_{i+1}).
/// NFE = 2 per step (1 on a final step to σ = 0). Without churn it is deterministic and second order.
/// </summary>
public sealed class EdmHeunSampler : DiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="churn">S_churn ≥ 0 (0: deterministic Heun).</param>
    /// <param name="churnMin">S_tmin: churn only where σ̃ ≥ this.</param>
    /// <param name="churnMax">S_tmax: churn only where σ̃ ≤ this.</param>
    /// <param name="noiseScale">S_noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative or non-finite churn parameters.</exception>
    public EdmHeunSampler(double churn = 0, double churnMin = 0, double churnMax = double.PositiveInfinity, double noiseScale = 1)
    {
        if (!(churn >= 0) || !double.IsFinite(churn)) throw new ArgumentOutOfRangeException(nameof(churn), churn, "churn must be finite and non-negative.");
        if (!(churnMin >= 0) || !(churnMax >= churnMin)) throw new ArgumentOutOfRangeException(nameof(churnMax), churnMax, "need 0 ≤ churnMin ≤ churnMax.");
        if (!(noiseScale >= 0) || !double.IsFinite(noiseScale)) throw new ArgumentOutOfRangeException(nameof(noiseScale), noiseScale, "noiseScale must be finite and non-negative.");
        Churn = churn;
        ChurnMin = churnMin;
        ChurnMax = churnMax;
        NoiseScale = noiseScale;
    }

    /// <summary>S_churn.</summary>
    public double Churn { get; }
    /// <summary>S_tmin.</summary>
    public double ChurnMin { get; }
    /// <summary>S_tmax.</summary>
    public double ChurnMax { get; }
    /// <summary>S_noise.</summary>
    public double NoiseScale { get; }

    /// <inheritdoc/>
    public override string Name => Churn > 0 ? "edm-heun-churn" : "heun";
    /// <inheritdoc/>
    public override bool IsStochastic => Churn > 0;
    /// <inheritdoc/>
    protected internal override int BufferCount => 4;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.EndsAtZeroNoise ? 2 * grid.Steps - 1 : 2 * grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var sch = g.Schedule;
        int n = g.Steps;
        Span<double> d = context.Buffer(0), dPrime = context.Buffer(1), xs = context.Buffer(2), x2 = context.Buffer(3);
        double sigmaTop = Math.Exp(-sch.LogSnr(sch.MaxTime));
        Dense.Combine(x, 1 / g.Alpha(0), x, 0, x); // x̃
        for (int i = 0; i < n; i++)
        {
            double sCur = g.Sigma(i) / g.Alpha(i);
            double sNext = g.Sigma(i + 1) / g.Alpha(i + 1);
            double gamma = Churn > 0 && sCur >= ChurnMin && sCur <= ChurnMax ? Math.Min(Churn / n, Math.Sqrt(2) - 1) : 0;
            double sHat = Math.Min(sCur * (1 + gamma), sigmaTop);
            double tHat = g.Time(i);
            if (sHat > sCur)
            {
                tHat = sch.TimeOfLogSnr(-Math.Log(sHat));
                Dense.Combine(x, 1.0, x, Math.Sqrt(sHat * sHat - sCur * sCur) * NoiseScale, context.Noise(i, 0));
            }
            else sHat = sCur;
            double aHat = sch.Alpha(tHat);
            // d = (x̃ − D)/σ̂ with D evaluated at x = α(t̂)·x̃.
            Dense.Combine(xs, aHat, x, 0, x);
            context.Data(tHat, xs, d);
            Dense.Combine(d, 1 / sHat, x, -1 / sHat, d);
            Dense.Combine(x2, 1.0, x, sNext - sHat, d);
            if (g.Sigma(i + 1) == 0)
            {
                x2.CopyTo(x);
                continue;
            }
            Dense.Combine(xs, g.Alpha(i + 1), x2, 0, x2);
            context.Data(g.Time(i + 1), xs, dPrime);
            Dense.Combine(dPrime, 1 / sNext, x2, -1 / sNext, dPrime);
            Dense.Combine(x, 1.0, x, 0.5 * (sNext - sHat), d, 0.5 * (sNext - sHat), dPrime);
        }
        Dense.Combine(x, g.Alpha(n), x, 0, x);
    }
}
