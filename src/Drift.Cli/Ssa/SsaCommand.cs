using System.Diagnostics;
using System.Globalization;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Ensembles;
using Drift.IO;
using Drift.Jumps.Networks;
using Drift.Jumps.Sbml;
using Drift.Jumps.Simulation;
using Drift.Models.Text;
using Spectre.Console;
using Drift.Solve;

namespace Drift.Cli.Ssa;

/// <summary><c>drift ssa MODEL.rn|--sbml MODEL.xml [options]</c>: an ensemble of a reaction network, summarised like <c>drift simulate</c>.</summary>
public static class SsaCommand
{
    /// <summary>The option model of <c>drift ssa</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["ssa"],
        """
        usage: drift ssa MODEL.rn [options]          MODEL.rn: a reaction network (format in docs/jumps.md)
               drift ssa --sbml MODEL.xml [options]  an SBML Level 2/3 model (subset and semantics in docs/jumps.md);
                                                     a positional MODEL.xml or MODEL.sbml is read as SBML too
               drift ssa fit MODEL.rn --data OBS.csv  rate constants from data (MLE or --bayes); see 'drift ssa fit --help'
        """,
        [
            OptionSpec.File("sbml", "MODEL.xml", "read the model as SBML instead of a positional MODEL.rn"),
            OptionSpec.Integer("runs", "runs to simulate", "10000"),
            OptionSpec.Real("t1", "T", "end time (required)"),
            OptionSpec.Choice("method", "extrande is exact for propensities that read the time t (the default for such a model);\n"
                + "rssa-cr is RSSA with composition-rejection search, for thousands of reactions", "direct", "direct", "nrm", "sorting", "rssa", "rssa-cr", "extrande", "tau-leap", "cle", "ode"),
            OptionSpec.Real("extrande-window", "L", "extrande's look-ahead window length (> 0): short = tight bounds, more window\n"
                + "openings; long = fewer openings, more null events; the law is exact for any L", "automatic"),
            OptionSpec.Real("save-every", "H", "record statistics at 0, H, 2H, ..., t1", "t1 only"),
            OptionSpec.Real("epsilon", "E", "tau-leaping error control", "0.03"),
            OptionSpec.Real("dt", "H", "chemical Langevin step", "t1/1000"),
            OptionSpec.Integer("max-events", "stop a run after N events and report it", "1e9"),
            OptionSpec.Seed(),
            OptionSpec.Threads(),
            OptionSpec.File("output", "FILE.csv|FILE.parquet", "statistics at every saved time: time,component,count,mean,std,stderr,min,q05,median,q95,max"),
            OptionSpec.File("output-paths", "FILE.csv|FILE.parquet|FILE.npy", "every run at every saved time (keeps all runs in memory)"),
            OptionSpec.Flag("every-event", "with --output-paths FILE.csv: every run at every event instead (exact methods), the\n"
                + "piecewise-constant path as rows time,run,SPECIES...: t = 0, after each event, and t1;\n"
                + "'drift ssa fit' reads it back as full trajectories"),
            OptionSpec.File("plot", "FILE.png", "per species (first four): mean +- SD band over time with 5 sample runs, and the law of\n"
                + "its count at --hist-at times (keeps all runs; ~100 saves by default)"),
            OptionSpec.Text("hist-at", "T1,T2,...", "times of the plot's histograms (added to the save times)", "t1/4, t1/2, 3t1/4, t1"),
            OptionSpec.Json(),
            OptionSpec.NoProgress,
            .. Merge.ShardArguments.Options("runs [floor(iR/N), floor((i+1)R/N)) of the R = --runs run, with the\n"
                + "random numbers they get unsharded (every method but ode)",
                "write the shard's mergeable statistics (moments, sketches, count histograms,\nevents) for 'drift merge'"),
        ])
    {
        Summary = "stochastic simulation of a reaction network (Gillespie, tau-leaping, CLE, ODE)",
    };

    /// <summary>Runs the command.</summary>
    /// <returns>0, or 3 when some runs hit the event limit (the statistics then exclude them).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "fit") return SsaFitCommand.Run(args[1..], stdout, stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        string? sbml = a.String("sbml");
        if (sbml is not null && a.Positional.Count != 0) throw new UsageException("give either MODEL.rn or --sbml MODEL.xml, not both.");
        if (sbml is null && a.Positional.Count != 1) throw new UsageException("ssa takes one reaction-network file (MODEL.rn or --sbml MODEL.xml); try 'drift ssa --help'.");
        string path = sbml ?? a.Positional[0];
        var network = sbml is not null ? LoadSbml(path) : Load(path);
        long runs = a.Integer("runs", 1, 1L << 40) ?? 10_000;
        double t1 = a.Real("t1") ?? throw new UsageException("give the end time with --t1 T.");
        if (!(t1 > 0) || double.IsInfinity(t1)) throw new UsageException($"--t1 must be positive and finite, got {t1}.");
        string methodName = a.String("method") ?? (network.DependsOnTime ? "extrande" : "direct");
        var method = methodName switch
        {
            "direct" => JumpMethod.Direct,
            "nrm" => JumpMethod.NextReaction,
            "sorting" => JumpMethod.SortingDirect,
            "tau-leap" => JumpMethod.TauLeap,
            "cle" => JumpMethod.ChemicalLangevin,
            "ode" => JumpMethod.RateEquation,
            "rssa" => JumpMethod.Rejection,
            "rssa-cr" => JumpMethod.RejectionComposition,
            "extrande" => JumpMethod.Extrande,
            _ => throw new UsageException($"unknown --method '{methodName}'; use direct, nrm, sorting, rssa, rssa-cr, extrande, tau-leap, cle or ode."),
        };
        double? saveEvery = a.Real("save-every");
        if (saveEvery is { } h && (!(h > 0) || double.IsInfinity(h))) throw new UsageException($"--save-every must be positive, got {h}.");
        double epsilon = a.Real("epsilon") ?? 0.03;
        if (!(epsilon > 0 && epsilon < 1)) throw new UsageException($"--epsilon must lie in (0, 1), got {epsilon}.");
        double? dt = a.Real("dt");
        if (dt is { } step && (!(step > 0) || double.IsInfinity(step))) throw new UsageException($"--dt must be positive, got {step}.");
        long maxEvents = a.Integer("max-events", 1, long.MaxValue) ?? 1_000_000_000;
        double? window = a.Real("extrande-window");
        if (window is { } length && !(length > 0 && double.IsFinite(length))) throw new UsageException($"--extrande-window must be positive and finite, got {length}.");
        if (window is not null && method != JumpMethod.Extrande) throw new UsageException($"--extrande-window sets the look-ahead window of --method extrande, not {methodName}.");
        ulong seed = a.Seed() ?? 1;
        int threads = (int)(a.Integer("threads", 1, 1024) ?? 0);
        string? output = a.String("output");
        string? pathsOutput = a.String("output-paths");
        string? plot = a.String("plot");
        bool json = a.Flag("json");
        bool noProgress = a.Flag("no-progress");
        bool everyEvent = a.Flag("every-event");
        string? histText = a.String("hist-at");
        var shard = Merge.ShardArguments.Read(a, runs);
        a.RejectUnknown();
        if (shard.Shard is not null && method == JumpMethod.RateEquation)
            throw new UsageException("--shard/--state: --method ode is one deterministic solve, with no runs to shard; run it whole.");
        if (everyEvent && pathsOutput is null) throw new UsageException("--every-event writes the runs' events to --output-paths FILE.csv; give that file.");
        if (everyEvent && (ParquetReport.IsParquet(pathsOutput) || !pathsOutput!.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
            throw new UsageException($"--every-event writes CSV (time,run,species...); give --output-paths FILE.csv, got '{pathsOutput}'.");
        if (everyEvent && method is JumpMethod.TauLeap or JumpMethod.ChemicalLangevin or JumpMethod.RateEquation)
            throw new UsageException($"--every-event needs an exact method (direct, nrm, sorting, rssa, rssa-cr, extrande), not {methodName}: the approximate methods have no individual events.");
        if (histText is not null && plot is null) throw new UsageException("--hist-at sets the times of --plot's histograms; give --plot FILE.png.");
        double[] histAt = histText is null ? [] : ParseTimes(histText, t1);
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--plot writes PNG; give a FILE.png, got '{plot}'.");
        OutputPaths.Check(output, pathsOutput, plot, shard.StateFile);
        if (method == JumpMethod.RateEquation && runs != 1 && a.String("runs") is null) runs = 1;

        double[]? saves = saveEvery is { } every ? Grid(every, t1) : plot is not null ? Grid(t1 / 100, t1) : null;
        if (saves is not null && histAt.Length > 0) saves = [.. saves.Concat(histAt).Distinct().Order()];
        var options = new JumpOptions
        {
            CancellationToken = Runs.RunContext.Token,
            Runs = runs, Seed = seed, Threads = threads, SaveTimes = saves, TauEpsilon = epsilon, Dt = dt, MaxEventsPerRun = maxEvents, ExtrandeWindow = window,
            KeepPaths = (pathsOutput is not null && !everyEvent) || plot is not null,
            Shard = shard.Shard,
        };
        var clock = Stopwatch.StartNew();
        JumpSolution Simulate(JumpOptions o) => !noProgress && (o.Shard is { } part ? part.EndPath(runs) - part.FirstPath(runs) : runs) >= 20_000 && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)
            ? WithProgressBar(p => JumpSimulator.Simulate(network, method, t1, p), o)
            : JumpSimulator.Simulate(network, method, t1, o);
        JumpSolution result = null!;
        EventPaths? events = null;
        try
        {
            // --every-event: one pass, the file written by the ensemble's trajectory sink while the statistics accumulate
            if (everyEvent)
                OutputFile.Write(pathsOutput!, w =>
                {
                    events = new EventPaths(w, network);
                    result = Simulate(options with { Trajectories = events.Add });
                });
            else result = Simulate(options);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var solution = result.Statistics;
        string[] species = [.. network.Species];
        string name = Path.GetFileName(path);
        Report(stdout, name, methodName, t1, seed, seconds, result, json, output);
        if (result.State is { } state)
            shard.Write(state.Ensemble.ShardIndex, state.Ensemble.ShardCount, $"runs {state.Ensemble.FirstPath}..{state.Ensemble.EndPath - 1} of {state.Ensemble.RunPaths}",
                () => state.WithDescription(Merge.ShardArguments.Describe("ssa", ("model", name), ("modelSha256", Merge.ShardArguments.Hash(path)),
                    ("sbml", sbml is not null), ("method", methodName), ("t1", t1), ("saves", saves), ("epsilon", epsilon), ("dt", dt),
                    ("maxEvents", maxEvents), ("extrandeWindow", window))).ToBytes(), stderr);
        if (ParquetReport.IsParquet(pathsOutput)) OutputFile.WriteBinary(pathsOutput!, s => ParquetReport.WritePaths(s, species, solution));
        else if (pathsOutput is not null && pathsOutput.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            OutputFile.WriteBinary(pathsOutput, s => NpyReport.WritePaths(s, species.Length, solution));
        else if (pathsOutput is not null && !everyEvent) OutputFile.Write(pathsOutput, w => CsvReport.WritePaths(w, species, solution));
        if (plot is not null)
        {
            var times = solution.Times;
            int[] histogramSaves = histAt.Length > 0
                ? [.. histAt.Select(t => Array.IndexOf(times, t))]
                : [.. Enumerable.Range(1, 4).Select(k => Math.Max(times.Length - 1 - (4 - k) * (times.Length - 1) / 4, 0)).Distinct()];
            OutputFile.WriteBinary(plot, s => JumpPlot.Write(s, name, result, histogramSaves));
        }
        if (events is { Stopped: > 0 }) stderr.WriteLine($"drift: {events.Stopped} runs in {pathsOutput} stop at the event limit (their last row is their last event).");

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drift: {name}, {methodName}: {solution.PathCount} runs, {result.Events} events in {seconds:F3} s ({HumanNumber.Si(result.Events / Math.Max(seconds, 1e-9))} events/s)"));
        return DivergenceExit(stderr, solution);
    }

    /// <summary>What <c>ssa</c> (and <c>merge</c> of ssa states) prints and writes: JSON or the table, and the statistics file.</summary>
    internal static void Report(TextWriter stdout, string name, string methodName, double t1, ulong seed, double seconds, JumpSolution result, bool json, string? output)
    {
        var solution = result.Statistics;
        string[] species = [.. result.Species];
        int eventsPerRun = (int)Math.Min(int.MaxValue, result.Events / Math.Max(1, solution.PathCount));
        var run = new RunSummary(name, methodName, solution.PathCount, eventsPerRun, t1, seed, seconds);
        if (json) JsonReport.Write(stdout, run, species, solution);
        else StatisticsTable.Write(stdout, species, solution);
        if (ParquetReport.IsParquet(output)) OutputFile.WriteBinary(output!, s => ParquetReport.WriteStatistics(s, species, solution));
        else if (output is not null) OutputFile.Write(output, w => CsvReport.WriteStatistics(w, species, solution));
    }

    /// <summary>0, or 3 with a line naming the first run that hit the event limit.</summary>
    internal static int DivergenceExit(TextWriter stderr, EnsembleSolution solution)
    {
        if (solution.Status != SolveStatus.Diverged) return CliApp.Ok;
        stderr.WriteLine($"drift: {solution.DivergedPaths} of {solution.PathCount} runs hit the event limit and are excluded from the statistics; first: {solution.Divergences[0]}");
        return CliApp.Diverged;
    }

    /// <summary>Reads and parses a network file (.xml and .sbml as SBML, anything else as .rn text); errors read FILE:LINE:COL: reason.</summary>
    public static ReactionNetwork Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".sbml", StringComparison.OrdinalIgnoreCase)) return LoadSbml(path);
        return Read(path, ReactionNetwork.Parse);
    }

    /// <summary>Reads and parses an SBML file; errors read FILE:LINE:COL: reason.</summary>
    public static ReactionNetwork LoadSbml(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(path, SbmlReader.Parse);
    }

    private static ReactionNetwork Read(string path, Func<string, ReactionNetwork> parse)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"cannot read reaction network '{path}': no such file.");
        }
        try
        {
            return parse(text);
        }
        catch (ModelParseException e)
        {
            throw new UsageException($"{path}:{e.Line}:{e.Column}: {e.Reason}");
        }
    }

    /// <summary>Comma-separated times in [0, t1], for --hist-at.</summary>
    private static double[] ParseTimes(string text, double t1)
    {
        var times = text.Split(',').Select(p => ArgumentReader.ParseReal(p.Trim(), "--hist-at")).ToArray();
        foreach (double t in times)
            if (!(t >= 0 && t <= t1)) throw new UsageException($"--hist-at time {t.ToString(CultureInfo.InvariantCulture)} is outside [0, t1 = {t1.ToString(CultureInfo.InvariantCulture)}].");
        if (times.Length > 6) throw new UsageException($"--hist-at takes at most 6 times, got {times.Length}.");
        return times;
    }

    private static double[] Grid(double step, double t1)
    {
        long count = (long)Math.Floor(t1 / step * (1 + 1e-12));
        if (count > 100_000) throw new UsageException($"--save-every {step.ToString(CultureInfo.InvariantCulture)} gives more than 100001 save times on [0, {t1.ToString(CultureInfo.InvariantCulture)}].");
        var times = new List<double>();
        for (long k = 0; k <= count; k++) times.Add(Math.Min(k * step, t1));
        if (times[^1] < t1) times.Add(t1);
        return [.. times.Distinct()];
    }

    private static JumpSolution WithProgressBar(Func<JumpOptions, JumpSolution> solve, JumpOptions options) =>
        PathProgressBar.Run(options.Runs, progress => solve(options with { Progress = progress }));
}
