using Drift.Ensembles;
using Spectre.Console;

namespace Drift.Cli.Output;

/// <summary>The final-time statistics as a plain table.</summary>
public static class StatisticsTable
{
    /// <summary>Writes one row per component at the final save time.</summary>
    public static void Write(TextWriter stdout, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("component");
        foreach (string c in new[] { "mean", "std", "stderr", "min", "q05", "median", "q95", "max" })
            table.AddColumn(new TableColumn(c).RightAligned());
        int last = solution.Times.Length - 1;
        bool overflow = false;
        for (int i = 0; i < components.Length; i++)
        {
            var m = solution.Moments(last, i);
            if (m.Count == 0)
            {
                table.AddRow(components[i], "", "", "", "", "", "", "", "");
                continue;
            }
            string S(double v)
            {
                if (double.IsFinite(v)) return F(v);
                if (double.IsNaN(v)) return ""; // std and stderr of a single path
                overflow = true;
                return "overflow";
            }
            table.AddRow(
                components[i], S(m.Mean), S(m.StandardDeviation), S(m.StandardError), S(m.Min),
                S(solution.Quantile(last, i, 0.05)), S(solution.Quantile(last, i, 0.5)), S(solution.Quantile(last, i, 0.95)), S(m.Max));
        }
        long count = solution.Moments(last, 0).Count;
        string caption = count == 0
            ? $"t = {F(solution.Times[last])}: no finite path, so no statistics"
            : $"t = {F(solution.Times[last])}, {count} finite paths";
        if (overflow) caption += "; overflow: the statistic of these finite values exceeds double precision (±1.8e308)";
        table.Caption(caption);
        console.Write(table);
    }

    private static string F(double v) => HumanNumber.Format(v);
}
