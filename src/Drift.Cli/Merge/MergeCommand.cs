using System.Diagnostics;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Ensembles;

namespace Drift.Cli.Merge;

/// <summary><c>drift merge STATE... [--json] [--output FILE] [--plot FILE]</c>: the report of a sharded run from its shards' state files.</summary>
public static class MergeCommand
{
    /// <summary>The option model of <c>drift merge</c>.</summary>
    internal static CommandSpec Spec { get; } = new(["merge"],
        "usage: drift merge STATE... [options]        combine the state files of 'drift simulate|price|ssa|mcmc|diffuse sample\n"
        + "                                             --shard i/N --state FILE'",
        [
            OptionSpec.Json("print the final statistics as JSON (as 'drift simulate --json' prints them unsharded;\n"
                + "\"seconds\" is the merge's own time)"),
            OptionSpec.File("output", "FILE.csv|FILE.parquet", "statistics at every saved time"),
            OptionSpec.File("plot", "FILE.png", "mcmc and diffuse sample states: the joined run's plot, as the unsharded\n"
                + "command draws it (simulate, ssa and price states hold statistics, not paths: no plot)"),
        ])
    {
        Summary = "combine the state files of 'simulate|price|ssa|mcmc|diffuse sample --shard i/N --state FILE' into the run's report",
        Notes = "Shards may come in any order; duplicate or missing shards and states of different runs are refused.",
    };

    /// <summary>Runs the command.</summary>
    /// <returns>0, 2 for bad or inconsistent state files, or 3 when some paths diverged.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        bool json = a.Flag("json");
        string? output = a.String("output"), plot = a.String("plot");
        a.RejectUnknown();
        if (a.Positional.Count == 0) throw new UsageException("merge needs at least one state file; see 'drift merge --help'.");
        OutputPaths.Check(output, plot);

        if (a.Positional.Any(Sampling.McmcState.IsMcmcState)) return MergeChains(a.Positional, json, output, plot, stdout, stderr);
        if (a.Positional.Any(Diffuse.DiffuseState.IsDiffuseState)) return MergeSamples(a.Positional, json, output, plot, stdout, stderr);
        if (plot is not null)
            throw new UsageException("--plot draws merged mcmc draws or diffuse samples; simulate, ssa and price states hold statistics, not the paths a plot shows (plot a shard's run with --plot).");

        if (a.Positional.Any(Price.PriceState.IsPriceState)) return MergePrices(a.Positional, json, output, stdout, stderr);
        if (a.Positional.Any(Jumps.Simulation.JumpState.IsJumpState)) return MergeJumps(a.Positional, json, output, stdout, stderr);

        var clock = Stopwatch.StartNew();
        var states = a.Positional.Select(ReadState).ToList();
        var solution = EnsembleState.Merge(states);
        double seconds = clock.Elapsed.TotalSeconds;
        var first = states[0];
        var (command, model, components, solver, t1, steps) = ParseDescription(first);
        var run = new RunSummary(model, solver, first.RunPaths, steps, t1, first.Seed, seconds);
        StatisticsReport.Write(stdout, run, components, solution, json, output);
        stderr.WriteLine($"drift: merged {states.Count} shards of a {command} run of {model}: {first.RunPaths} paths");
        return StatisticsReport.DivergenceExit(stderr, solution);
    }

    /// <summary>
    /// Price shards: their sample moments merged (<see cref="Price.PriceState.Merge"/>) and reported by <c>drift price</c>
    /// itself with the run's arguments, so the report is the unsharded run's (price and standard error to rounding).
    /// </summary>
    private static int MergePrices(IReadOnlyList<string> files, bool json, string? output, TextWriter stdout, TextWriter stderr)
    {
        if (output is not null) throw new UsageException("--output takes ensemble states; a price merge prints its report only.");
        var states = files.Select(f => Price.PriceState.IsPriceState(f) ? Price.PriceState.Read(f)
            : throw new UsageException($"'{f}' is not a price state, unlike '{files.First(Price.PriceState.IsPriceState)}': merge states of one run.")).ToList();
        var estimate = Price.PriceState.Merge(states);
        string[] args = [.. states[0].Arguments.Skip(1), .. json ? new[] { "--json" } : []];
        int code = Price.PriceCommand.Run(args, stdout, stderr, estimate);
        stderr.WriteLine($"drift: merged {states.Count} shards of '{string.Join(' ', states[0].Arguments)}': {estimate.Paths} paths");
        return code;
    }

    /// <summary>
    /// <c>drift ssa</c> shards: their <see cref="Jumps.Simulation.JumpState"/>s merged (moments, sketches, count
    /// histograms and events as the unsharded run has them) and reported as <c>drift ssa</c> reports.
    /// </summary>
    private static int MergeJumps(IReadOnlyList<string> files, bool json, string? output, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        string kind = files.First(Jumps.Simulation.JumpState.IsJumpState);
        var states = files.Select(f => Jumps.Simulation.JumpState.IsJumpState(f) ? ReadFile(f, Jumps.Simulation.JumpState.Read)
            : throw new UsageException($"'{f}' is not an ssa state, unlike '{kind}': merge states of one run.")).ToList();
        Jumps.Simulation.JumpSolution merged;
        try
        {
            merged = Jumps.Simulation.JumpState.Merge(states);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var first = states[0].Ensemble;
        using var doc = Description(first.Description, first.Source ?? kind, "ssa");
        var d = doc.RootElement;
        string model = d.GetProperty("model").GetString()!, method = d.GetProperty("method").GetString()!;
        Ssa.SsaCommand.Report(stdout, model, method, d.GetProperty("t1").GetDouble(), first.Seed, seconds, merged, json, output);
        stderr.WriteLine($"drift: merged {states.Count} shards of an ssa run of {model}: {first.RunPaths} runs, {merged.Events} events");
        return Ssa.SsaCommand.DivergenceExit(stderr, merged.Statistics);
    }

    /// <summary>
    /// <c>drift mcmc</c> shards: their chains joined (<see cref="Sampling.McmcState.Merge"/>) and reported by <c>drift mcmc</c>
    /// itself with the run's arguments, which recomputes R-hat, ESS and MCSE from every draw, as the unsharded run does.
    /// </summary>
    private static int MergeChains(IReadOnlyList<string> files, bool json, string? output, string? plot, TextWriter stdout, TextWriter stderr)
    {
        string kind = files.First(Sampling.McmcState.IsMcmcState);
        var states = files.Select(f => Sampling.McmcState.IsMcmcState(f) ? ReadFile(f, Sampling.McmcState.Read)
            : throw new UsageException($"'{f}' is not an mcmc state, unlike '{kind}': merge states of one run.")).ToList();
        using var doc = Description(states[0].Description, states[0].Source ?? kind, "mcmc");
        string[] arguments = [.. doc.RootElement.GetProperty("arguments").EnumerateArray().Select(e => e.GetString()!)];
        string[] args = [.. arguments.Skip(1), "--quiet", .. json ? new[] { "--json" } : [], .. output is null ? [] : new[] { "--output", output }, .. plot is null ? [] : new[] { "--plot", plot }];
        int code = Mcmc.McmcCommand.Run(args, stdout, stderr, states);
        stderr.WriteLine($"drift: merged {states.Count} shards of '{string.Join(' ', arguments)}': {states[0].RunChains} chains");
        return code;
    }

    /// <summary>
    /// <c>drift diffuse sample</c> shards: their samples joined in sample order and reported by <c>drift diffuse sample</c>
    /// itself with the run's arguments, which computes the metrics against the exact target from all samples.
    /// </summary>
    private static int MergeSamples(IReadOnlyList<string> files, bool json, string? output, string? plot, TextWriter stdout, TextWriter stderr)
    {
        string kind = files.First(Diffuse.DiffuseState.IsDiffuseState);
        var states = files.Select(f => Diffuse.DiffuseState.IsDiffuseState(f) ? ReadFile(f, Diffuse.DiffuseState.Read)
            : throw new UsageException($"'{f}' is not a diffuse state, unlike '{kind}': merge states of one run.")).ToList();
        var samples = Diffuse.DiffuseState.Merge(states);
        using var doc = Description(states[0].Description, states[0].Source, "diffuse");
        string[] arguments = [.. doc.RootElement.GetProperty("arguments").EnumerateArray().Select(e => e.GetString()!)];
        string[] args = [.. arguments.Skip(1), .. json ? new[] { "--json" } : [], .. output is null ? [] : new[] { "--output", output }, .. plot is null ? [] : new[] { "--plot", plot }];
        int code = Diffuse.DiffuseCommand.Run(args, stdout, stderr, samples);
        stderr.WriteLine($"drift: merged {states.Count} shards of '{string.Join(' ', arguments)}': {samples.Count} samples");
        return code;
    }

    /// <summary>A state's run description, refused (naming the file) unless a <paramref name="command"/> run wrote it.</summary>
    internal static JsonDocument Description(string description, string file, string command)
    {
        try
        {
            var doc = JsonDocument.Parse(description);
            if (doc.RootElement.GetProperty("command").GetString() == command) return doc;
            doc.Dispose();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }
        throw new UsageException($"'{file}' was not written by 'drift {command} --state' (its run description is not the tool's).");
    }

    /// <summary>Reads a state file of any kind, turning a missing or unreadable file into a usage error naming it.</summary>
    internal static T ReadFile<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"state file '{path}' does not exist.");
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static EnsembleState ReadState(string path)
    {
        try
        {
            return EnsembleState.Read(path);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"state file '{path}' does not exist.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"state file '{path}' does not exist.");
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static (string Command, string Model, string[] Components, string Solver, double T1, int Steps) ParseDescription(EnsembleState state)
    {
        try
        {
            using var doc = JsonDocument.Parse(state.Description);
            var d = doc.RootElement;
            return (d.GetProperty("command").GetString()!, d.GetProperty("model").GetString()!,
                [.. d.GetProperty("components").EnumerateArray().Select(c => c.GetString()!)],
                d.GetProperty("solver").GetString()!, d.GetProperty("t1").GetDouble(), d.GetProperty("steps").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"'{state.Source}' was not written by 'drift simulate --state' (its run description is not the tool's): {e.Message}");
        }
    }
}
