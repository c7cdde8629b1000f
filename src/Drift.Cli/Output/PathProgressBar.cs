using Drift.Ensembles;
using Drift.Solve;
using Spectre.Console;

namespace Drift.Cli.Output;

/// <summary>
/// The progress bar on stderr of the path-ensemble commands (simulate, ssa): one bar counting finished paths
/// (or runs) up to <c>total</c>, fed by the ensemble's <see cref="SolveProgress"/> reports and cleared at the end.
/// </summary>
internal static class PathProgressBar
{
    /// <summary>Runs <paramref name="solve"/> with a progress sink that moves the bar, and returns its result.</summary>
    public static T Run<T>(long total, Func<IProgress<SolveProgress>, T> solve)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("simulating", maxValue: total);
            result = solve(new BarProgress(task));
            task.Value = total;
        });
        return result;
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<SolveProgress>
    {
        public void Report(SolveProgress value) => task.Value = value.PathsDone;
    }
}
