using System.Globalization;
using Drift.Ensembles;

namespace Drift.Cli.Output;

/// <summary>CSV files of statistics over time and of individual paths.</summary>
public static class CsvReport
{
    /// <summary>
    /// time,component,count,mean,std,stderr,min,q05,median,q95,max — one row per saved time and component. A time with no
    /// finite path has count 0 and empty cells (not placeholder numbers); a statistic that is not finite (std of values
    /// near 1.8e308, which overflows) is an empty cell too.
    /// </summary>
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
                string count = m.Count.ToString(CultureInfo.InvariantCulture);
                if (m.Count == 0)
                {
                    w.WriteLine(string.Join(",", F(solution.Times[s]), components[i], count, "", "", "", "", "", "", "", ""));
                    continue;
                }
                w.WriteLine(string.Join(",",
                    F(solution.Times[s]), components[i], count, Cell(m.Mean), Cell(m.StandardDeviation), Cell(m.StandardError),
                    Cell(m.Min), Cell(solution.Quantile(s, i, 0.05)), Cell(solution.Quantile(s, i, 0.5)), Cell(solution.Quantile(s, i, 0.95)), Cell(m.Max)));
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

    /// <summary>A statistic: the round-trip number, or an empty cell when it is not finite.</summary>
    private static string Cell(double v) => double.IsFinite(v) ? F(v) : "";
}
