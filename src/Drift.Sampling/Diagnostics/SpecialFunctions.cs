using Drift.Models.Finance;
using Drift.Random;

namespace Drift.Sampling.Diagnostics;

/// <summary>The special functions the diagnostics need: the normal quantile and the inverse regularised incomplete beta.</summary>
internal static class SpecialFunctions
{
    /// <summary>
    /// Φ⁻¹(p) for p ∈ (0, 1): Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step on
    /// Φ (computed from the core erfc), which brings it to about 1e-15.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) return p == 0 ? double.NegativeInfinity : p == 1 ? double.PositiveInfinity : double.NaN;
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - low)
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        // Halley refinement: e = Φ(x) − p, u = e √(2π) e^{x²/2}, x ← x − u/(1 + x u/2).
        double e = 0.5 * BlackScholes.Erfc(-x / Math.Sqrt(2)) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(0.5 * x * x);
        return x - u / (1 + 0.5 * x * u);
    }

    /// <summary>The regularised incomplete beta I_x(a, b) (continued fraction, modified Lentz).</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double logFront = a * Math.Log(x) + b * Math.Log(1 - x) - (Variates.LogGamma(a) + Variates.LogGamma(b) - Variates.LogGamma(a + b));
        if (x > (a + 1) / (a + b + 2)) return 1 - Math.Exp(logFront) * ContinuedFraction(1 - x, b, a) / b;
        return Math.Exp(logFront) * ContinuedFraction(x, a, b) / a;
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, dd = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(dd) < tiny) dd = tiny;
        dd = 1 / dd;
        double f = dd;
        for (int m = 1; m < 100_000; m++)
        {
            double m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            dd = 1 + num * dd; if (Math.Abs(dd) < tiny) dd = tiny;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            dd = 1 / dd; f *= dd * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            dd = 1 + num * dd; if (Math.Abs(dd) < tiny) dd = tiny;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            dd = 1 / dd;
            double delta = dd * c;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return f;
    }

    /// <summary>The p-quantile of Beta(a, b), by bisection on <see cref="RegularizedBeta"/> to machine precision.</summary>
    public static double BetaQuantile(double p, double a, double b)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-17; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (RegularizedBeta(mid, a, b) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>
    /// The digamma function ψ(x) = d ln Γ(x)/dx for x &gt; 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 6, then the
    /// asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) to x⁻¹⁴ (absolute error below 1e-14). NaN for x ≤ 0 or NaN.
    /// </summary>
    public static double Digamma(double x)
    {
        if (!(x > 0)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return x;
        double shift = 0;
        while (x < 6)
        {
            shift -= 1 / x;
            x += 1;
        }
        double r = 1 / (x * x);
        double series = r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132 - r * (691.0 / 32760 - r / 12))))));
        return shift + Math.Log(x) - 0.5 / x - series;
    }
}
