namespace Drift.Random;

/// <summary>
/// Exact samplers for the Gamma, Poisson and noncentral chi-squared laws driven by a <see cref="StepDraws"/> cursor,
/// so that every variate is a pure function of (seed, stream, step).
/// </summary>
public static class Variates
{
    /// <summary>
    /// Gamma(a, 1), density x^{a−1}e^{−x}/Γ(a): Marsaglia &amp; Tsang (2000) squeeze-rejection for a ≥ 1 (d = a − ⅓,
    /// c = 1/√(9d), X = d(1 + cZ)³ accepted when ln U &lt; Z²/2 + d − dV + d ln V); for a &lt; 1, Gamma(a + 1)·U^{1/a}.
    /// </summary>
    /// <param name="draws">The variate cursor.</param>
    /// <param name="shape">a &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is not positive and finite.</exception>
    public static double Gamma(ref StepDraws draws, double shape)
    {
        if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "the Gamma shape must be positive and finite.");
        if (shape < 1)
        {
            double g = Gamma(ref draws, shape + 1);
            return g * Math.Exp(Math.Log(draws.NextUniform()) / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z = draws.NextNormal();
            double v = 1 + c * z;
            if (v <= 0) continue;
            v = v * v * v;
            double u = draws.NextUniform();
            if (u < 1 - 0.0331 * z * z * z * z) return d * v;
            if (Math.Log(u) < 0.5 * z * z + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>
    /// Poisson(μ), P(N = k) = e^{−μ}μᵏ/k!: sequential inversion with one uniform for μ &lt; 10, Hörmann's (1993)
    /// transformed rejection PTRS for μ ≥ 10. μ = 0 gives 0.
    /// </summary>
    /// <param name="draws">The variate cursor.</param>
    /// <param name="mean">μ ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is negative, NaN or infinite.</exception>
    public static long Poisson(ref StepDraws draws, double mean)
    {
        if (!(mean >= 0) || double.IsInfinity(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "the Poisson mean must be finite and non-negative.");
        if (mean == 0) return 0;
        if (mean < 10)
        {
            double u = draws.NextUniform(), p = Math.Exp(-mean), cdf = p;
            long k = 0;
            while (u > cdf && p > 0)
            {
                k++;
                p *= mean / k;
                cdf += p;
            }
            return k;
        }
        double slam = Math.Sqrt(mean), logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = draws.NextUniform() - 0.5, v = draws.NextUniform();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return (long)k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log(a / (us * us) + b) <= -mean + k * logMean - LogGamma(k + 1)) return (long)k;
        }
    }

    /// <summary>
    /// The noncentral chi-squared law χ′²_ν(λ) (ν degrees of freedom, noncentrality λ): for ν &gt; 1,
    /// (Z + √λ)² + 2·Gamma((ν − 1)/2); otherwise the Poisson mixture 2·Gamma(ν/2 + N), N ~ Poisson(λ/2)
    /// (Johnson, Kotz &amp; Balakrishnan 1995, ch. 29; Glasserman 2003, §3.4). Mean ν + λ, variance 2(ν + 2λ).
    /// </summary>
    /// <param name="draws">The variate cursor.</param>
    /// <param name="degrees">ν &gt; 0.</param>
    /// <param name="noncentrality">λ ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static double NoncentralChiSquared(ref StepDraws draws, double degrees, double noncentrality)
    {
        if (!(degrees > 0) || double.IsInfinity(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "the degrees of freedom must be positive and finite.");
        if (!(noncentrality >= 0) || double.IsInfinity(noncentrality)) throw new ArgumentOutOfRangeException(nameof(noncentrality), noncentrality, "the noncentrality must be finite and non-negative.");
        if (degrees > 1)
        {
            double z = draws.NextNormal() + Math.Sqrt(noncentrality);
            return z * z + 2 * Gamma(ref draws, 0.5 * (degrees - 1));
        }
        long n = Poisson(ref draws, 0.5 * noncentrality);
        return 2 * Gamma(ref draws, 0.5 * degrees + n);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine terms; relative error below 1e-14).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        double sum = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) sum += c[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
