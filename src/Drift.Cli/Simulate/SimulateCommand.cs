using Drift.IO;
using System.Diagnostics;
using System.Globalization;
using Drift.Cli.Arguments;
using Drift.Cli.Merge;
using Drift.Cli.Output;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Spectre.Console;

namespace Drift.Cli.Simulate;

/// <summary><c>drift simulate [MODEL] [options]</c>: an ensemble of a built-in model, summarised at the final time.</summary>
public static class SimulateCommand
{
    /// <summary>The option model of <c>drift simulate</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["simulate"],
        "usage: drift simulate [MODEL] [options]        MODEL: gbm (default), ou, lorenz, a chaotic flow, or FILE.drift (text model)",
        [
            OptionSpec.Integer("paths", "paths to simulate", "100000"),
            OptionSpec.Real("t1", "T", "end time", "the model's"),
            OptionSpec.Integer("steps", "fixed steps (or --dt)", "1000"),
            OptionSpec.Real("dt", "H", "fixed step size (or --steps)"),
            OptionSpec.Choice("solver", "the SDE scheme (a flow takes the ODE solvers of 'drift solve'):\n", "the model's", [.. SolverDispatch.Names]) with
            {
                Value = "NAME",
                CheckedByCommand = "aliases (em, euler-maruyama, euler-heun), and a flow takes the ODE solvers of 'drift solve'",
            },
            OptionSpec.Real("rtol", "R", "relative tolerance of adaptive steps per path with an embedded error estimate\n"
                + "(solver sra1 or sriw1; default: sra1 for additive noise, sriw1 for Ito scalar/diagonal noise)", "1e-3"),
            OptionSpec.Real("atol", "A", "absolute tolerance of adaptive steps", "1e-6"),
            OptionSpec.Seed(),
            OptionSpec.Threads(),
            .. ModelArguments.Options,
            OptionSpec.Integer("save-every", "record statistics every K steps (with --output)", value: "K"),
            OptionSpec.File("output", "FILE.csv|FILE.parquet", "statistics at every saved time: time,component,count,mean,std,stderr,min,q05,median,q95,max"),
            OptionSpec.File("output-paths", "FILE.csv|FILE.parquet|FILE.npy", "every path at every saved time: CSV or Parquet time,path,<components>, or a\n"
                + "NumPy float64 array of shape (saves, paths, components) (keeps all paths in memory)"),
            OptionSpec.File("plot", "FILE.png", "sample paths over time, marginal histograms at save points and, for 3+\n"
                + "components, the (x, z) phase portrait (keeps all paths; ~200 saves by default)"),
            OptionSpec.Json(),
            .. ShardArguments.Options("paths [floor(iP/N), floor((i+1)P/N)) of the P = --paths run,\nwith the random numbers they get unsharded (fixed steps only)",
                "write the run's (or shard's) mergeable statistics for 'drift merge' (docs/scale-out.md)"),
            OptionSpec.NoProgress,
        ])
    {
        Summary = "simulate an ensemble of a built-in model or FILE.drift; print final-time statistics",
        Positional = () => BuiltInModels.All.Select(m => m.Name),
    };

    /// <summary>Runs the command.</summary>
    /// <returns>0, or 3 when some paths diverged (the statistics then exclude them).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CancellationToken.None);

    /// <summary>Runs the command; <paramref name="cancellationToken"/> stops the solve at its next block and throws <see cref="OperationCanceledException"/> before anything is written.</summary>
    /// <returns>0, or 3 when some paths diverged (the statistics then exclude them).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count > 1) throw new UsageException($"simulate takes one model, got {string.Join(" ", a.Positional)}.");
        string name = a.Positional.Count == 1 ? a.Positional[0] : "gbm";
        var model = FileModels.IsFile(name) ? FileModels.Load(name) : BuiltInModels.Find(name);

        var parameters = ModelArguments.Parameters(model, a);
        double[] x0 = ModelArguments.InitialState(model, a);

        long paths = a.Integer("paths", 1, 1L << 40) ?? 100_000;
        double t1 = a.Real("t1") ?? model.DefaultT1;
        if (!(t1 > 0)) throw new UsageException($"--t1 must be positive, got {t1}.");
        long? steps = a.Integer("steps", 1, int.MaxValue - 2);
        double? dt = a.Real("dt");
        if (steps.HasValue && dt.HasValue) throw new UsageException("give --steps or --dt, not both.");
        if (dt is <= 0) throw new UsageException($"--dt must be positive, got {dt}.");
        double? rtol = a.NonNegative("rtol");
        double? atol = a.NonNegative("atol");
        bool adaptive = rtol.HasValue || atol.HasValue;
        if (adaptive && (steps.HasValue || dt.HasValue)) throw new UsageException("give --rtol/--atol (adaptive) or --steps/--dt (fixed steps), not both.");
        if (!adaptive && !steps.HasValue && !dt.HasValue) steps = 1000;
        string solver = a.String("solver") ?? (adaptive ? "auto" : model.DefaultSolver);
        ulong seed = a.Seed() ?? 1;
        int threads = (int)(a.Integer("threads", 1, 1024) ?? 0);
        long? saveEvery = a.Integer("save-every", 1, int.MaxValue);
        string? output = a.String("output");
        string? pathsOutput = a.String("output-paths");
        string? plot = a.String("plot");
        bool json = a.Flag("json");
        bool noProgress = a.Flag("no-progress");
        var shard = ShardArguments.Read(a, paths);
        a.RejectUnknown();
        if (adaptive && shard.Shard is not null) throw new UsageException("--shard and --state need fixed steps (--steps or --dt), not --rtol/--atol.");
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--plot writes PNG; give a FILE.png, got '{plot}'.");
        if (plot is not null && adaptive) throw new UsageException("--plot needs fixed steps (--steps or --dt): adaptive solves save the final time only.");
        OutputPaths.Check(output, pathsOutput, plot, shard.StateFile);

        if (adaptive && saveEvery.HasValue) throw new UsageException("--save-every needs fixed steps; adaptive solves save the final time.");
        var save = saveEvery is long k ? SaveAt.EveryStep((int)k) : plot is not null ? PlotSaves(t1, steps, dt) : SaveAt.Final;
        IStepSizeController controller = adaptive
            ? AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol ?? 1e-3, AbsoluteTolerance = atol ?? 1e-6 }
            : steps is long n ? ConstantStep.WithSteps((int)n) : ConstantStep.WithSize(dt!.Value);
        var options = new SolveOptions
        {
            Controller = controller,
            Paths = paths,
            Seed = seed,
            Threads = threads,
            Save = save,
            KeepPaths = pathsOutput is not null || plot is not null,
            Shard = shard.Shard,
            CancellationToken = cancellationToken,
        };
        var grid = adaptive ? null : TimeGrid.Create(0, t1, steps is long m ? (int)m : null, dt, save);
        int stepCount = grid?.Steps ?? 0;
        if (dt is double h && grid is not null && grid.Times[^1] - grid.Times[^2] is var last && Math.Abs(last - h) > 1e-9 * h)
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"drift: --dt {h:G6} does not divide t1 = {t1:G6}: {stepCount - 1} steps of {h:G6} and a last step of {last:G6}"));
        if (options.KeepPaths)
            MemoryBudget.Check(8.0 * paths * model.Components.Length * (grid?.SaveIndices.Length ?? 1), $"keeping {paths} paths × {grid?.SaveIndices.Length ?? 1} saves × {model.Components.Length} components (for --output-paths or --plot)",
                "use fewer --paths, a larger --save-every, or --output for statistics only");
        double work = (double)paths * Math.Max(stepCount, 1000) * model.Components.Length;

        var clock = Stopwatch.StartNew();
        SimulationResult result;
        if (!noProgress && work >= 2e8 && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error))
            result = WithProgressBar(o => model.Solve(parameters, x0, t1, new SimulationRequest(solver, o) { Warnings = stderr }), options);
        else
            result = model.Solve(parameters, x0, t1, new SimulationRequest(solver, options) { Warnings = stderr });
        double seconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();
        var solution = result.Solution;
        if (shard.Shard is not null) paths = solution.PathCount;
        solver = result.Solver ?? solver;
        if (result.Adaptive is { } tally) stepCount = (int)Math.Min(int.MaxValue, tally.AcceptedSteps / paths);

        var run = new RunSummary(model.Name, solver, paths, stepCount, t1, seed, seconds) { Adaptive = result.Adaptive };
        StatisticsReport.Write(stdout, run, model.Components, solution, json, output);
        shard.Write(solution, ShardArguments.Describe("simulate", model.Name, model.Components, solver, t1, stepCount, parameters, x0,
            saveEvery is long every ? $"every {every}" : plot is not null ? "plot" : "final"), stderr);
        if (ParquetReport.IsParquet(pathsOutput)) OutputFile.WriteBinary(pathsOutput!, s => ParquetReport.WritePaths(s, model.Components, solution));
        else if (pathsOutput is not null && pathsOutput.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            OutputFile.WriteBinary(pathsOutput, s => NpyReport.WritePaths(s, model.Components.Length, solution));
        else if (pathsOutput is not null) OutputFile.Write(pathsOutput, w => CsvReport.WritePaths(w, model.Components, solution));

        bool allDiverged = DivergenceSummary.AllDiverged(solution);
        if (plot is not null && allDiverged) stderr.WriteLine($"drift: no plot written to '{plot}': every path diverged.");
        else if (plot is not null) OutputFile.WriteBinary(plot, s => PlotReport.Write(s, model.Name, model.Components, solution));

        string stepsText = result.Adaptive is { } a2
            ? string.Create(CultureInfo.InvariantCulture, $"{a2.AcceptedSteps / (double)paths:F1} accepted and {a2.RejectedSteps / (double)paths:F1} rejected steps per path")
            : $"{stepCount} steps";
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drift: {model.Name}, {solver}: {paths} paths x {stepsText} in {seconds:F3} s ({HumanNumber.Si(paths * (double)stepCount / Math.Max(seconds, 1e-9))} path-steps/s)"));
        return StatisticsReport.DivergenceExit(stderr, solution);
    }

    /// <summary>About 200 evenly spaced save points for a plot when --save-every is not given.</summary>
    private static SaveAt PlotSaves(double t1, long? steps, double? dt)
    {
        long count = steps ?? (long)Math.Ceiling(t1 / dt!.Value);
        return SaveAt.EveryStep((int)Math.Max(1, count / 200));
    }

    private static SimulationResult WithProgressBar(Func<SolveOptions, SimulationResult> solve, SolveOptions options) =>
        PathProgressBar.Run(options.Shard is { } shard ? shard.EndPath(options.Paths) - shard.FirstPath(options.Paths) : options.Paths,
            progress => solve(options with { Progress = progress }));
}
