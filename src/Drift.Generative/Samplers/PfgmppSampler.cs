using Drift.Generative.Grids;
using Drift.Random;

namespace Drift.Generative.Samplers;

/// <summary>
/// PFGM++ (Xu et al. 2023, "PFGM++: Unlocking the potential of physics-inspired generative models"): data
/// x ∈ ℝᴺ augmented with D extra dimensions, perturbation kernel p_r(x | y) ∝ 1/(‖x − y‖² + r²)^{(N+D)/2}, and
/// the alignment r = σ√D with EDM's noise level σ. Under that alignment the PFGM++ ODE dx/dr = E[x − y | x]/r
/// becomes dx/dσ = (x − D_D(x, σ))/σ, EDM's probability-flow ODE with the denoiser D_D(x, σ) = E[y | x] of the
/// D-kernel, and it is integrated here by EDM's Heun method on the grid's σ (Karras et al. 2022, Algorithm 1,
/// as the PFGM++ paper does). As D → ∞ with σ fixed the kernel tends to N(y, σ²I) and PFGM++ becomes EDM (tested
/// numerically at D = 10⁸). NFE = 2 per step (1 on a final step to σ = 0).
/// </summary>
/// <remarks>
/// <para>The model must be the D-kernel's denoiser on a schedule with α ≡ 1 (edm or ve): for an exact mixture
/// <see cref="Oracles.GaussianMixture.AsPfgmppModel"/>; a model trained with the Gaussian kernel is the D = ∞ case.
/// Starting points come from the D-kernel, not from N(0, σ_T²I): <see cref="Perturb"/> draws them.</para>
/// </remarks>
public sealed class PfgmppSampler : DiffusionSampler
{
    private readonly EdmHeunSampler _heun = new();

    /// <summary>Creates the sampler for augmented dimension D.</summary>
    /// <param name="augmentedDimension">D ≥ 1, or +∞ (EDM).</param>
    /// <exception cref="ArgumentOutOfRangeException">D &lt; 1 or NaN.</exception>
    public PfgmppSampler(double augmentedDimension)
    {
        Oracles.PfgmppMixtureModel.CheckAugmentedDimension(augmentedDimension);
        AugmentedDimension = augmentedDimension;
    }

    /// <summary>The augmented dimension D.</summary>
    public double AugmentedDimension { get; }

    /// <inheritdoc/>
    public override string Name => "pfgmpp";
    /// <inheritdoc/>
    public override bool IsStochastic => false;
    /// <inheritdoc/>
    protected internal override int BufferCount => _heun.BufferCount;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => _heun.Evaluations(grid);

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Grid.Schedule.LogAlpha(context.Grid.Time(0)) != 0)
            throw new ArgumentException($"PFGM++ needs a schedule with α ≡ 1 (edm or ve), got {context.Grid.Schedule.Name}.", nameof(context));
        _heun.Integrate(context, x);
    }

    /// <summary>
    /// Adds PFGM++ kernel noise at noise level σ (r = σ√D) to each of <paramref name="samples"/> rows y in place:
    /// x = y + R·v with v uniform on the unit sphere of ℝᴺ and R = r·√(B/(1 − B)), B ~ Beta(N/2, D/2) (the
    /// paper's sampling of the radius; R²/r² is Beta-prime(N/2, D/2)). Drawn as x = y + σ·g·√(D/(2G)) with
    /// g ~ N(0, I_N) and G ~ Gamma(D/2): ‖g‖²/2 ~ Gamma(N/2) makes B = (‖g‖²/2)/(‖g‖²/2 + G) and g/‖g‖ the
    /// independent direction. D = +∞ gives x = y + σg. Row s uses only the draws of (seed, stream firstSample + s).
    /// The prior of the paper is <c>Perturb</c> of zero rows at σ_max.
    /// </summary>
    /// <param name="x">Rows y, overwritten by x.</param>
    /// <param name="samples">Rows.</param>
    /// <param name="dimension">N.</param>
    /// <param name="sigma">σ ≥ 0.</param>
    /// <param name="augmentedDimension">D ≥ 1 or +∞.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="firstSample">Stream of row 0.</param>
    /// <exception cref="ArgumentException">Bad σ, D, or too short <paramref name="x"/>.</exception>
    public static void Perturb(Span<double> x, int samples, int dimension, double sigma, double augmentedDimension, ulong seed, long firstSample = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and non-negative.");
        Oracles.PfgmppMixtureModel.CheckAugmentedDimension(augmentedDimension);
        if (x.Length < (long)samples * dimension) throw new ArgumentException($"x needs {samples}·{dimension} values, got {x.Length}.", nameof(x));
        bool gaussian = double.IsPositiveInfinity(augmentedDimension);
        for (int s = 0; s < samples; s++)
        {
            var draws = new StepDraws(seed, (ulong)(firstSample + s), 0);
            var row = x.Slice(s * dimension, dimension);
            double scale = sigma;
            if (!gaussian)
            {
                double gamma = Variates.Gamma(ref draws, augmentedDimension / 2);
                scale = sigma * Math.Sqrt(augmentedDimension / (2 * gamma));
            }
            for (int i = 0; i < dimension; i++) row[i] += scale * draws.NextNormal();
        }
    }
}
