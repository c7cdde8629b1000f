using System.Globalization;
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
        for (int i = 0; i < components.Length; i++)
        {
            var m = solution.Moments(last, i);
            table.AddRow(
                components[i], F(m.Mean), F(m.StandardDeviation), F(m.StandardError), F(m.Min),
                F(solution.Quantile(last, i, 0.05)), F(solution.Quantile(last, i, 0.5)), F(solution.Quantile(last, i, 0.95)), F(m.Max));
        }
        table.Caption($"t = {F(solution.Times[last])}, {solution.Moments(last, 0).Count} finite paths");
        console.Write(table);
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
