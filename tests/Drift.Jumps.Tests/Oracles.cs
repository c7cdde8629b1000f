using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>Statistical yardsticks shared by the tests: chi-squared p-values and the DSMTS z-criteria.</summary>
internal static class Oracles
{
    /// <summary>
    /// Pearson's chi-squared test of a count histogram against probabilities p(k): bins with expected count below 5
    /// are pooled from each tail; returns (statistic, degrees of freedom, p-value).
    /// </summary>
    public static (double Statistic, int Degrees, double PValue) ChiSquared(CountHistogram histogram, IReadOnlyList<double> p)
    {
        long n = histogram.Total;
        var observed = new List<double>();
        var expected = new List<double>();
        double o = 0, e = 0;
        long top = Math.Max(histogram.Length, p.Count);
        for (long k = 0; k < top; k++)
        {
            o += histogram[k];
            e += n * (k < p.Count ? p[(int)k] : 0);
            if (e >= 5)
            {
                observed.Add(o);
                expected.Add(e);
                o = e = 0;
            }
        }
        // the remainder (upper tail, including mass the oracle puts beyond its support) joins the last bin
        double pSum = p.Sum();
        e += n * Math.Max(0, 1 - pSum);
        if (observed.Count == 0) throw new InvalidOperationException("too few expected counts for a chi-squared test");
        observed[^1] += o;
        expected[^1] += e;
        double statistic = 0;
        for (int k = 0; k < observed.Count; k++) statistic += (observed[k] - expected[k]) * (observed[k] - expected[k]) / expected[k];
        int degrees = Math.Max(1, observed.Count - 1);
        return (statistic, degrees, UpperGamma(degrees / 2.0, statistic / 2));
    }

    /// <summary>DSMTS mean criterion √n(X̄ − μ)/σ (|z| ≤ 3 passes).</summary>
    public static double MeanZ(Drift.Statistics.Moments m, double mu, double variance) =>
        Math.Sqrt(m.Count) * (m.Mean - mu) / Math.Sqrt(variance);

    /// <summary>DSMTS variance criterion √(n/2)(S²/σ² − 1) (|z| ≤ 5 passes).</summary>
    public static double VarianceZ(Drift.Statistics.Moments m, double variance) =>
        Math.Sqrt(m.Count / 2.0) * (m.Variance / variance - 1);

    /// <summary>Poisson(μ) probabilities for k = 0..K with K far in the tail.</summary>
    public static double[] Poisson(double mu)
    {
        int kMax = (int)(mu + 12 * Math.Sqrt(mu) + 30);
        var p = new double[kMax + 1];
        for (int k = 0; k <= kMax; k++) p[k] = Math.Exp(-mu + k * Math.Log(mu) - Drift.Random.Variates.LogGamma(k + 1));
        return p;
    }

    /// <summary>Regularised upper incomplete gamma Q(a, x): series for x &lt; a + 1, Lentz continued fraction otherwise.</summary>
    public static double UpperGamma(double a, double x)
    {
        if (x <= 0) return 1;
        double logPrefix = -x + a * Math.Log(x) - Drift.Random.Variates.LogGamma(a);
        if (x < a + 1)
        {
            double sum = 1 / a, term = sum;
            for (int n = 1; n < 10_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (term < sum * 1e-16) break;
            }
            return 1 - sum * Math.Exp(logPrefix);
        }
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
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
        return Math.Exp(logPrefix) * h;
    }
}
