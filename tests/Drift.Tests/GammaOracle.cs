namespace Drift.Tests;

/// <summary>Test-side oracles for Gamma-family laws, written independently of Drift.Random.Variates.</summary>
internal static class GammaOracle
{
    /// <summary>ln Γ(x), x &gt; 0: shift to x ≥ 12 by ln Γ(x) = ln Γ(x + 1) − ln x, then Stirling's series to x⁻⁹.</summary>
    public static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 12) { shift -= Math.Log(x); x += 1; }
        double x2 = x * x;
        double series = 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2) - 1 / (1680 * x * x2 * x2 * x2) + 1 / (1188 * x * x2 * x2 * x2 * x2);
        return shift + (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series;
    }

    /// <summary>Regularised lower incomplete gamma P(a, x): power series below a + 1, Lentz continued fraction above.</summary>
    public static double RegularizedLower(double a, double x)
    {
        if (x <= 0) return 0;
        double logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 10_000 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= x / (a + n);
                sum += term;
            }
            return sum * Math.Exp(logPrefix);
        }
        double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < 1e-300) d = 1e-300;
            c = b + an / c;
            if (Math.Abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return 1 - Math.Exp(logPrefix) * h;
    }

    /// <summary>CDF of χ′²_ν(λ): Σⱼ e^{−λ/2}(λ/2)ʲ/j! · P(ν/2 + j, x/2).</summary>
    public static double NoncentralChiSquaredCdf(double x, double nu, double lambda)
    {
        double half = 0.5 * lambda;
        int center = (int)half;
        double total = 0;
        // Sum outward from the Poisson mode so no weight underflows before it matters.
        double logWeight0 = -half + center * Math.Log(Math.Max(half, 1e-300)) - LogGamma(center + 1);
        double w = Math.Exp(logWeight0);
        for (int j = center; j < center + 100_000 && (j < center + 10 || w > 1e-18); j++)
        {
            total += w * RegularizedLower(0.5 * nu + j, 0.5 * x);
            w *= half / (j + 1);
        }
        w = Math.Exp(logWeight0);
        for (int j = center - 1; j >= 0; j--)
        {
            w *= (j + 1) / half;
            total += w * RegularizedLower(0.5 * nu + j, 0.5 * x);
            if (w < 1e-18) break;
        }
        return total;
    }
}
