namespace Drift.Tests;

/// <summary>Test-side statistics: normal CDF, KS p-values, correlations, log-log slopes.</summary>
internal static class StatisticalTests
{
    /// <summary>Φ(x) via erfc (Abramowitz–Stegun 7.1.26 is too coarse; use a series/continued fraction).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>erfc with relative error below 1e-14 (Numerical Recipes' Chebyshev fit, erfccheb).</summary>
    public static double Erfc(double z)
    {
        if (z < 0) return 2 - Erfc(-z);
        ReadOnlySpan<double> cof =
        [
            -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
            3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.303655835580e-6,
            1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
            9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15,
            -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
        ];
        double t = 2.0 / (2.0 + z), ty = 4.0 * t - 2.0, d = 0.0, dd = 0.0;
        for (int j = cof.Length - 1; j > 0; j--)
        {
            double tmp = d;
            d = ty * d - dd + cof[j];
            dd = tmp;
        }
        return t * Math.Exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
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
