namespace Drift.Generative.Tests;

/// <summary>
/// Mean ± standard error over independent runs: m = (1/R) Σ_r v_r, SE = √(Σ_r (v_r − m)² / ((R − 1) R)). Shared by the
/// tests and by bench/compare/drift-steer-measure, which compiles this file by a link.
/// </summary>
internal static class RunStatistics
{
    /// <summary>Mean and standard error of one scalar over runs.</summary>
    public static (double Mean, double Se) MeanSe(IReadOnlyList<double> v)
    {
        double m = v.Average();
        return (m, Math.Sqrt(v.Sum(a => (a - m) * (a - m)) / (v.Count - 1) / v.Count));
    }

    /// <summary>Mean and standard error over runs of each coordinate of an estimate.</summary>
    public static (double[] Mean, double[] Se) OverRuns(List<double[]> values)
    {
        int r = values.Count, m = values[0].Length;
        var mean = new double[m];
        var se = new double[m];
        for (int j = 0; j < m; j++)
        {
            mean[j] = values.Average(v => v[j]);
            se[j] = Math.Sqrt(values.Sum(v => (v[j] - mean[j]) * (v[j] - mean[j])) / (r - 1) / r);
        }
        return (mean, se);
    }
}
