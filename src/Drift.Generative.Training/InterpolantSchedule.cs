using Drift.Generative.Schedules;

namespace Drift.Generative.Training;

/// <summary>
/// A one-sided stochastic interpolant (Albergo, Boffi &amp; Vanden-Eijnden 2023, "Stochastic interpolants: a
/// unifying framework for flows and diffusions", §3–4) between data x₀ (t = 0) and a Gaussian x₁ ~ N(0, I)
/// (t = 1): x_t = α(t)x₀ + β(t)x₁ + γ(t)z with z ~ N(0, I) independent and γ(t) = √(a·t(1 − t)).
/// <list type="bullet">
/// <item><b>linear</b>: α = 1 − t, β = t;</item>
/// <item><b>trigonometric</b>: α = cos(πt/2), β = sin(πt/2).</item>
/// </list>
/// Because x₁ and z are independent Gaussians, β x₁ + γ z = σ ε with σ = √(β² + γ²) and ε ~ N(0, I), so the
/// interpolant's marginals are those of the schedule (α, σ) and every sampler of this library runs on it.
/// The denoiser of the latent is η_z = E[z | x_t] = (γ/σ)·ε̂ and the score is s = −η_z/γ = −ε̂/σ.
/// </summary>
/// <remarks>
/// f = α'/α and g² = dσ²/dt − 2fσ² follow from α and σ; λ = log α − log σ is inverted by bisection.
/// The domain is [0, 0.999] (α &gt; 0 keeps λ finite); the noise amplitude a lies in [0, 1] (a = 0 is the
/// deterministic linear / trigonometric path).
/// </remarks>
public sealed class InterpolantSchedule : NoiseSchedule
{
    /// <summary>Creates the interpolant.</summary>
    /// <param name="trigonometric">Trigonometric α, β (else linear).</param>
    /// <param name="noise">The amplitude a of γ(t) = √(a·t(1 − t)), in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="noise"/> outside [0, 1].</exception>
    public InterpolantSchedule(bool trigonometric = false, double noise = 0)
    {
        if (!(noise >= 0 && noise <= 1)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "the interpolant noise amplitude a must lie in [0, 1].");
        Trigonometric = trigonometric;
        NoiseAmplitude = noise;
    }

    /// <summary>Whether α, β are trigonometric.</summary>
    public bool Trigonometric { get; }

    /// <summary>The amplitude a of γ(t) = √(a·t(1 − t)).</summary>
    public double NoiseAmplitude { get; }

    /// <inheritdoc/>
    public override string Name => Trigonometric ? "si-trig" : "si-linear";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 0.999;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;

    /// <summary>α(t).</summary>
    public double InterpolantAlpha(double t) => Trigonometric ? Math.Cos(0.5 * Math.PI * t) : 1 - t;
    /// <summary>β(t).</summary>
    public double Beta(double t) => Trigonometric ? Math.Sin(0.5 * Math.PI * t) : t;
    /// <summary>γ(t) = √(a·t(1 − t)).</summary>
    public double Gamma(double t) => Math.Sqrt(NoiseAmplitude * t * (1 - t));

    /// <inheritdoc/>
    public override double LogAlpha(double t) => Math.Log(InterpolantAlpha(t));

    /// <inheritdoc/>
    public override double Sigma(double t)
    {
        double b = Beta(t);
        return Math.Sqrt(b * b + NoiseAmplitude * t * (1 - t));
    }

    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda)
    {
        if (double.IsNaN(lambda)) return double.NaN;
        double lo = 0, hi = MaxTime;
        if (lambda >= LogSnr(1e-300 + 1e-12)) return 0;
        if (lambda <= LogSnr(hi)) return hi;
        for (int k = 0; k < 200 && hi - lo > 1e-16; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (LogSnr(mid) > lambda) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => Trigonometric ? -0.5 * Math.PI * Math.Tan(0.5 * Math.PI * t) : -1 / (1 - t);

    /// <inheritdoc/>
    public override double DiffusionSquared(double t)
    {
        double dSigma2 = (Trigonometric ? 0.5 * Math.PI * Math.Sin(Math.PI * t) : 2 * t) + NoiseAmplitude * (1 - 2 * t);
        double s = Sigma(t);
        return dSigma2 - 2 * DriftCoefficient(t) * s * s;
    }
}
