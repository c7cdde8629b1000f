using Drift.Generative.Metrics;
using Drift.Generative.Oracles;

namespace Drift.Generative.Tests.Guidance;

/// <summary>Compares samples with exact samples of a mixture: sliced W₂ against the exact-vs-exact floor, means within k standard errors.</summary>
internal static class GuidanceCheck
{
    public static (double Sw, double Floor) SlicedW2(GaussianMixture exact, double alpha, double sigma, double[] x, int n)
    {
        int d = exact.Dimension;
        var e1 = new double[n * d];
        var e2 = new double[n * d];
        exact.Sample(alpha, sigma, 101, 0, e1, n);
        double floor = 0;
        for (int r = 0; r < 3; r++)
        {
            exact.Sample(alpha, sigma, 200 + (ulong)r, 0, e2, n);
            floor = Math.Max(floor, SampleMetrics.SlicedWasserstein2(e1, e2, n, d, 64));
        }
        return (SampleMetrics.SlicedWasserstein2(x, e1, n, d, 64), floor);
    }

    public static void MeansWithin(GaussianMixture exact, double alpha, double[] x, int n, double k = 5)
    {
        int d = exact.Dimension;
        var mom = SampleMetrics.CoordinateMoments(x, n, d);
        var mean = exact.Mean(alpha);
        for (int j = 0; j < d; j++)
            Assert.InRange(mom[j].Mean - mean[j], -k * mom[j].StandardError, k * mom[j].StandardError);
    }

    /// <summary>The columns <paramref name="columns"/> of a samples × d batch.</summary>
    public static double[] Columns(double[] x, int n, int d, int[] columns)
    {
        var r = new double[n * columns.Length];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < columns.Length; j++) r[s * columns.Length + j] = x[s * d + columns[j]];
        return r;
    }
}
