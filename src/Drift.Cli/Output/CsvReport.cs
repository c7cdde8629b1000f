using System.Globalization;
using Drift.Ensembles;

namespace Drift.Cli.Output;

/// <summary>CSV files of statistics over time and of individual paths.</summary>
public static class CsvReport
{
    /// <summary>time,component,count,mean,std,stderr,min,q05,median,q95,max — one row per saved time and component.</summary>
    public static void WriteStatistics(TextWriter w, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        w.WriteLine("time,component,count,mean,std,stderr,min,q05,median,q95,max");
        for (int s = 0; s < solution.Times.Length; s++)
            for (int i = 0; i < components.Length; i++)
            {
                var m = solution.Moments(s, i);
                w.WriteLine(string.Join(",",
                    F(solution.Times[s]), components[i], m.Count.ToString(CultureInfo.InvariantCulture), F(m.Mean), F(m.StandardDeviation), F(m.StandardError),
                    F(m.Min), F(solution.Quantile(s, i, 0.05)), F(solution.Quantile(s, i, 0.5)), F(solution.Quantile(s, i, 0.95)), F(m.Max)));
            }
    }

    /// <summary>time,path,&lt;components&gt; — one row per saved time and path (NaN after divergence).</summary>
    public static void WritePaths(TextWriter w, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        w.WriteLine("time,path," + string.Join(",", components));
        for (int s = 0; s < solution.Times.Length; s++)
            for (long p = solution.FirstPath; p < solution.FirstPath + solution.PathCount; p++)
            {
                w.Write(F(solution.Times[s]));
                w.Write(',');
                w.Write(p.ToString(CultureInfo.InvariantCulture));
                for (int i = 0; i < components.Length; i++)
                {
                    w.Write(',');
                    w.Write(F(solution.Path(s, i, p)));
                }
                w.WriteLine();
            }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
