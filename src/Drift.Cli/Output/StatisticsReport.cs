using Drift.Ensembles;
using Drift.Solve;
using Drift.IO;

namespace Drift.Cli.Output;

/// <summary>What <c>simulate</c> and <c>merge</c> print and write for an ensemble's statistics, in one place.</summary>
public static class StatisticsReport
{
    /// <summary>JSON or a table (or the divergence summary when no path is finite) on stdout; the statistics file when asked for.</summary>
    public static void Write(TextWriter stdout, RunSummary run, string[] components, EnsembleSolution solution, bool json, string? output)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (json) JsonReport.Write(stdout, run, components, solution);
        else if (DivergenceSummary.AllDiverged(solution)) DivergenceSummary.Write(stdout, components, solution);
        else StatisticsTable.Write(stdout, components, solution);
        if (ParquetReport.IsParquet(output)) OutputFile.WriteBinary(output!, s => ParquetReport.WriteStatistics(s, components, solution));
        else if (output is not null) OutputFile.Write(output, w => CsvReport.WriteStatistics(w, components, solution));
    }

    /// <summary>0, or 3 with a line on stderr naming the first diverged path when some paths diverged.</summary>
    public static int DivergenceExit(TextWriter stderr, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(solution);
        if (solution.Status != SolveStatus.Diverged && solution.DivergedPaths == 0) return CliApp.Ok;
        stderr.WriteLine($"drift: {solution.DivergedPaths} of {solution.PathCount} paths diverged and are excluded from the statistics; first: {solution.Divergences[0]}");
        return CliApp.Diverged;
    }
}
