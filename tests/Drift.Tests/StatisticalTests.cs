namespace Drift.Tests;

/// <summary>Test-side statistics: normal CDF, KS p-values, correlations, log-log slopes.</summary>
internal static class StatisticalTests
{
    /// <summary>Φ(x) = erfc(−x/√2)/2 with the test-side <see cref="Erfc"/>.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>
    /// erfc, written independently of the library's Chebyshev fit (BlackScholes.Erfc) so that it can serve as its oracle:
    /// for 0 ≤ z &lt; 1, 1 − erf z with erf z = (2/√π) e^{−z²} Σₙ 2ⁿz^{2n+1}/(1·3···(2n+1)) (Abramowitz &amp; Stegun 7.1.6,
    /// all terms positive); for z ≥ 1 the continued fraction erfc z = (e^{−z²}/√π)/(z + ½/(z + 1/(z + (3/2)/(z + …))))
    /// (A&amp;S 7.1.14) by modified Lentz; erfc(−z) = 2 − erfc z. Relative error below 3e-15 against mpmath at 30 digits on a 1/64 grid of [0, 4].
    /// </summary>
    public static double Erfc(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z < 0) return 2 - Erfc(-z);
        if (z < 1)
        {
            double term = z, sum = z;
            for (int n = 1; term > 1e-17 * sum; n++)
            {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        }
        const double tiny = 1e-300;
        double f = z, c = z, d = 0;
        for (int k = 1; k < 5000; k++)
        {
            double a = 0.5 * k;
            d = z + a * d;
            d = 1 / (d == 0 ? tiny : d);
            c = z + a / c;
            if (c == 0) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>Asymptotic p-value of the one-sample Kolmogorov–Smirnov statistic.</summary>
    public static double KolmogorovSmirnovPValue(double[] sample, Func<double, double> cdf)
    {
        var s = (double[])sample.Clone();
        Array.Sort(s);
        int n = s.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(s[i]);
            d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        double lambda = (Math.Sqrt(n) + 0.12 + 0.11 / Math.Sqrt(n)) * d;
        double p = 0;
        for (int k = 1; k < 100; k++) p += 2 * Math.Pow(-1, k - 1) * Math.Exp(-2 * k * k * lambda * lambda);
        return Math.Clamp(p, 0, 1);
    }

    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Least-squares slope of log y against log x.</summary>
    public static double LogLogSlope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += Math.Log(x[i]); my += Math.Log(y[i]); }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = Math.Log(x[i]) - mx;
            sxy += dx * (Math.Log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }
}
