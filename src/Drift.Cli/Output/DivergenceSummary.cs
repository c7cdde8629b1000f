using System.Globalization;
using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Cli.Output;

/// <summary>
/// What to print when no path reached the end: a count of the failures by cause, the spread of the
/// times they stopped at, the components that failed first, and the first failure in words, in place
/// of a statistics table that would have no finite value to show.
/// </summary>
public static class DivergenceSummary
{
    /// <summary>Whether every path diverged (no finite path is left at the final time).</summary>
    public static bool AllDiverged(EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return solution.PathCount > 0 && solution.DivergedPaths >= solution.PathCount;
    }

    /// <summary>Writes the summary as text.</summary>
    public static void Write(TextWriter stdout, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        var d = solution.Divergences;
        stdout.WriteLine($"all {solution.PathCount} paths diverged: no statistics to report.");
        if (d.Count == 0) return;
        string sample = d.Count < solution.DivergedPaths ? $" (of the first {d.Count} recorded)" : "";
        stdout.WriteLine($"  causes{sample}" + (sample.Length == 0 ? "      " : " ") + string.Join(", ", d.GroupBy(x => x.Cause).OrderByDescending(g => g.Count()).Select(g => $"{Cause(g.Key)} {g.Count()}")));
        var times = d.Select(x => x.Time).Order().ToArray();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  stopped at  t = {HumanNumber.Format(times[0])} (earliest), {HumanNumber.Format(times[times.Length / 2])} (median), {HumanNumber.Format(times[^1])} (latest)"));
        var nonFinite = d.Where(x => x.Cause == SolveStatus.NonFinite && x.Component >= 0 && x.Component < components.Length).ToArray();
        if (nonFinite.Length > 0)
            stdout.WriteLine("  first bad   " + string.Join(", ", nonFinite.GroupBy(x => x.Component).OrderByDescending(g => g.Count()).Select(g => $"{components[g.Key]} {g.Count()}")));
        stdout.WriteLine($"  first       {d.MinBy(x => x.Path)}");
    }

    /// <summary>The cause as a short phrase.</summary>
    public static string Cause(SolveStatus cause) => cause switch
    {
        SolveStatus.StepTooSmall => "step size below the minimum",
        SolveStatus.MaxSteps => "step limit reached",
        SolveStatus.SingularJacobian => "singular Jacobian",
        SolveStatus.NotConverged => "implicit iteration failed",
        _ => "non-finite state",
    };
}
