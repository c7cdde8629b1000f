namespace Drift.Generative.Samplers;

/// <summary>
/// The Levenberg–Marquardt–Langevin (LML) corrector step of Wang et al. 2025 ("Unleashing high-quality image generation
/// in diffusion sampling using second-order Levenberg–Marquardt–Langevin", arXiv 2505.24222): a Langevin step at noise
/// level σ preconditioned by a damped, training-free low-rank estimate of the curvature of −log p_t.
/// </summary>
/// <remarks>
/// <para>Newton–Langevin would precondition by H⁻¹, H = −∇²log p_t, which costs d model Jacobian-vector products. LML
/// replaces σ²H by the rank-one outer product u uᵀ of the noise prediction u = −σ s = ε̂ (Fisher's identity
/// E[s sᵀ] = E[−∇²log p], taken at the one point) and damps it as Levenberg–Marquardt does:
/// P = λ(λI + u uᵀ)⁻¹ = I − u uᵀ/(λ + ‖u‖²) (Sherman–Morrison). The step, per sample, is</para>
/// <para>  x ← x + ε P s + √(2ε) P^{1/2} z,   P^{1/2} = I − c u uᵀ,  c = (1 − √(λ/(λ + ‖u‖²)))/‖u‖²,</para>
/// <para>so the injected noise has covariance 2εP (checked: (I − c uuᵀ)² = I − uuᵀ/(λ + ‖u‖²)). λ → ∞ gives P = I, the plain
/// Langevin corrector; small λ shrinks the step along the score direction by λ/(λ + ‖u‖²) and leaves the orthogonal
/// directions unchanged. No extra model evaluations. P depends on x through u and the divergence term ∇·P of
/// position-dependent preconditioned Langevin is omitted (it needs the score's Jacobian, which LML exists to avoid),
/// so the corrector does not leave p_t exactly invariant even as ε → 0; its effect is measured, not assumed
/// (docs/generative.md).</para>
/// </remarks>
public static class LevenbergMarquardtLangevin
{
    /// <summary>One LML corrector step on rows of <paramref name="dimension"/> values, in place.</summary>
    /// <param name="x">States, rows of d values; updated.</param>
    /// <param name="score">Scores s = ∇log p_t(x), same layout.</param>
    /// <param name="noise">Standard normal draws z, same layout.</param>
    /// <param name="stepSize">ε &gt; 0.</param>
    /// <param name="sigma">σ_t &gt; 0 (u = σ s).</param>
    /// <param name="damping">λ &gt; 0.</param>
    /// <param name="dimension">d ≥ 1.</param>
    /// <exception cref="ArgumentException">Lengths disagree or a parameter is out of range.</exception>
    public static void Step(Span<double> x, ReadOnlySpan<double> score, ReadOnlySpan<double> noise, double stepSize, double sigma, double damping, int dimension)
    {
        if (dimension < 1 || x.Length % dimension != 0) throw new ArgumentException($"x needs rows of {dimension} values, got {x.Length}.", nameof(x));
        if (score.Length < x.Length || noise.Length < x.Length) throw new ArgumentException($"score and noise need {x.Length} values, got {score.Length} and {noise.Length}.", nameof(score));
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentException($"the step ε must be positive and finite, got {stepSize}.", nameof(stepSize));
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentException($"σ must be positive and finite, got {sigma}.", nameof(sigma));
        if (!(damping > 0)) throw new ArgumentException($"the damping λ must be positive, got {damping}.", nameof(damping));
        double root = Math.Sqrt(2 * stepSize);
        for (int o = 0; o < x.Length; o += dimension)
        {
            // u = σ s; q = ‖u‖², u·s and u·z for the rank-one corrections.
            double q = 0, us = 0, uz = 0;
            for (int j = o; j < o + dimension; j++)
            {
                double u = sigma * score[j];
                q += u * u;
                us += u * score[j];
                uz += u * noise[j];
            }
            double shrink = q > 0 ? us / (damping + q) : 0;
            double c = q > 0 && double.IsFinite(damping) ? (1 - Math.Sqrt(damping / (damping + q))) / q : 0;
            for (int j = o; j < o + dimension; j++)
            {
                double u = sigma * score[j];
                x[j] += stepSize * (score[j] - shrink * u) + root * (noise[j] - c * uz * u);
            }
        }
    }
}
