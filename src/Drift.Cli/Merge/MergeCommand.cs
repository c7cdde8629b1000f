using System.Diagnostics;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Ensembles;

namespace Drift.Cli.Merge;

/// <summary><c>drift merge STATE... [--json] [--output FILE]</c>: the report of a sharded run from its shards' state files.</summary>
public static class MergeCommand
{
    /// <summary>The option model of <c>drift merge</c>.</summary>
    internal static CommandSpec Spec { get; } = new(["merge"],
        "usage: drift merge STATE... [options]        combine the state files of 'drift simulate|price --shard i/N --state FILE'",
        [
            OptionSpec.Json("print the final statistics as JSON (as 'drift simulate --json' prints them unsharded;\n"
                + "\"seconds\" is the merge's own time)"),
            OptionSpec.File("output", "FILE.csv|FILE.parquet", "statistics at every saved time"),
        ])
    {
        Summary = "combine the state files of 'simulate|price --shard i/N --state FILE' into the run's report",
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
        string? output = a.String("output");
        a.RejectUnknown();
        if (a.Positional.Count == 0) throw new UsageException("merge needs at least one state file; see 'drift merge --help'.");
        OutputPaths.Check(output);

        if (a.Positional.Any(Price.PriceState.IsPriceState)) return MergePrices(a.Positional, json, output, stdout, stderr);

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
