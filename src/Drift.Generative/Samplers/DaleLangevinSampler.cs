using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// The sign-preserving multiplicative sampler of "Dale meets Langevin" (Shetty, Prasath &amp; Seelamantula 2025) for
/// positive data under the geometric-Brownian forward process dX = g(t)·X dW (Itô, coordinate-wise), β(t) = ∫g².
/// </summary>
/// <remarks>
/// <para>Lamperti transform: Y = log X has dY = −½g² dt + g dW, whose reverse-time SDE is
/// dY = g²(s_Y + ½)dτ + g dW̄ with s_Y = ∇log q_t(y) = H + 1 and H = x∘∇ₓlog p_t(x) the Hyvärinen score. Euler–Maruyama
/// in Y from t_i down to t_{i+1}, with Δβ = β_i − β_{i+1}, written back in X, is the multiplicative update
/// x ← x∘exp(Δβ(H + 3/2) + √Δβ·z), which keeps every coordinate positive. Weak order 1; NFE = 1 per step.</para>
/// <para>The model is the model of Ỹ = log X + β/2 on a schedule with α ≡ 1 and σ(t)² = β(t) (ve or edm): Ỹ follows
/// the variance-exploding process exactly, so s_Y(y) is that model's score at y + β/2 (for an exact log-normal mixture,
/// <see cref="Oracles.LogNormalMixture.AsLogSpaceModel"/>). Samples x must be positive on entry (x_T ~ p_T of GBM).
/// The ambient-space, sign-agnostic variant of the paper is not provided.</para>
/// </remarks>
public sealed class DaleLangevinSampler : DiffusionSampler
{
    /// <inheritdoc/>
    public override string Name => "dale-langevin";
    /// <inheritdoc/>
    public override bool IsStochastic => true;
    /// <inheritdoc/>
    protected internal override int BufferCount => 2;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = context.Grid;
        if (g.Schedule.LogAlpha(g.Time(0)) != 0)
            throw new ArgumentException($"the Dale–Langevin sampler needs a schedule with α ≡ 1 (ve or edm), got {g.Schedule.Name}.", nameof(context));
        for (int k = 0; k < x.Length; k++)
            if (!(x[k] > 0)) throw new ArgumentException($"the multiplicative sampler needs positive data; x[{k}] = {x[k]}.", nameof(x));
        Span<double> y = context.Buffer(0), s = context.Buffer(1);
        for (int i = 0; i < g.Steps; i++)
        {
            double betaNow = g.Sigma(i) * g.Sigma(i), betaNext = g.Sigma(i + 1) * g.Sigma(i + 1);
            double dBeta = betaNow - betaNext, noise = Math.Sqrt(dBeta);
            for (int k = 0; k < x.Length; k++) y[k] = Math.Log(x[k]) + 0.5 * betaNow;
            context.Predict(g.Time(i), y, s, Prediction.Score);
            var z = context.Noise(i, 0);
            for (int k = 0; k < x.Length; k++) x[k] *= Math.Exp(dBeta * (s[k] + 0.5) + noise * z[k]);
        }
    }
}
