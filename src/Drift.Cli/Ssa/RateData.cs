using System.Globalization;
using Drift.Cli.Arguments;
using Drift.IO;
using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Cli.Ssa;

/// <summary>
/// The data of <c>drift ssa fit</c>, read from a CSV file with a header (docs/jumps.md, "drift ssa fit"):
/// <list type="bullet">
/// <item><b>events</b>: columns <c>time,reaction</c> (and optionally <c>run</c>): one row per firing, the reaction a
/// 0-based index in the model's reaction order; each run starts from the model's initial counts and is observed on
/// [0, T] (T from <c>--t1</c>, else the largest time in the file);</item>
/// <item><b>every event</b>: <c>time</c>, optionally <c>run</c>, and a column per species: the counts at t = 0 and after
/// every event (what <c>drift ssa --every-event --output-paths</c> writes); each run's window ends at its last row;</item>
/// <item><b>sparse</b> (with a noise model): <c>time</c>, optionally <c>run</c>, and columns for some species at a few
/// times t &gt; 0 (rows at t = 0 are skipped: each run starts from the model's initial counts).</item>
/// </list>
/// Rows of one run must be sorted by time; runs may be interleaved; they are numbered by their <c>run</c> value
/// (<c>path</c> is read as <c>run</c>, so the grid output of <c>drift ssa --output-paths</c> is sparse data as it is).
/// </summary>
internal static class RateData
{
    /// <summary>The columns of a data file: the matrix, the time and run column indices, and the other named columns.</summary>
    private sealed record Table(string Path, NumericArray Values, int Time, int Run, int Reaction, (int Column, int Species)[] Species)
    {
        public double At(int row, int column) => Values.Data[row * Values.Columns + column];
    }

    /// <summary>Fully observed paths from event or every-event data.</summary>
    public static List<JumpTrajectory> Trajectories(string path, ReactionNetwork network, double? t1)
    {
        var table = Read(path, network);
        if (table.Reaction >= 0)
        {
            if (table.Species.Length > 0) throw new UsageException($"{path}: give either a reaction column (events) or species columns, not both.");
            return Events(table, network, t1);
        }
        if (t1 is not null) throw new UsageException("--t1 applies to event data (time,reaction); every-event counts end each run's window at its last row.");
        var missing = network.Species.Where((_, i) => table.Species.All(s => s.Species != i)).ToArray();
        if (missing.Length > 0)
            throw new UsageException($"{path}: no column for species {string.Join(", ", missing)}; every-event data need every species (for sparse observations of some species give --noise).");
        return EveryEvent(table, network);
    }

    /// <summary>Sparse observations, one series per run, of the species that have columns.</summary>
    public static List<Observations> Sparse(string path, ReactionNetwork network, bool allowNegative)
    {
        var table = Read(path, network);
        if (table.Reaction >= 0) throw new UsageException($"{path}: event data (a reaction column) are full trajectories; drop --noise.");
        if (table.Species.Length == 0) throw new UsageException($"{path}: no species columns; the model's species are {string.Join(", ", network.Species)}.");
        var result = new List<Observations>();
        foreach (var (run, rows) in Runs(table))
        {
            var times = new List<double>();
            var values = new List<double[]>();
            double previous = 0;
            foreach (int row in rows)
            {
                double t = table.At(row, table.Time);
                if (t == 0) continue;
                if (!(t > previous)) throw Unsorted(table, row, run, t, previous, strict: true);
                previous = t;
                var y = new double[table.Species.Length];
                for (int s = 0; s < y.Length; s++)
                {
                    y[s] = table.At(row, table.Species[s].Column);
                    if (y[s] < 0 && !allowNegative) throw Negative(table, row, table.Species[s].Species, network, y[s]);
                }
                times.Add(t);
                values.Add(y);
            }
            if (times.Count == 0) continue;
            var matrix = new double[times.Count, table.Species.Length];
            for (int k = 0; k < times.Count; k++)
                for (int s = 0; s < table.Species.Length; s++) matrix[k, s] = values[k][s];
            result.Add(new Observations(times, [.. table.Species.Select(s => s.Species)], matrix));
        }
        if (result.Count == 0) throw new UsageException($"{path}: no observations at t > 0.");
        return result;
    }

    private static Table Read(string path, ReactionNetwork network)
    {
        NumericArray values;
        string[]? header;
        try
        {
            using var reader = new StreamReader(path);
            values = CsvReader.Read(reader, path, out header);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"cannot read data file '{path}': no such file.");
        }
        if (header is null) throw new UsageException($"{path}: the first line must be a header naming the columns (time, run, reaction or species names).");
        if (header.Length != values.Columns) throw new UsageException($"{path}: the header names {header.Length} columns but the rows have {values.Columns}.");
        int time = -1, run = -1, reaction = -1;
        var species = new List<(int, int)>();
        for (int c = 0; c < header.Length; c++)
        {
            string name = header[c];
            int index = network.IndexOf(name);
            if (index >= 0)
            {
                if (species.Any(s => s.Item2 == index)) throw new UsageException($"{path}: species column '{name}' appears twice.");
                species.Add((c, index));
                continue;
            }
            switch (name)
            {
                case "time" when time < 0: time = c; break;
                case "run" or "path" when run < 0: run = c; break;
                case "reaction" when reaction < 0: reaction = c; break;
                case "time" or "run" or "path" or "reaction": throw new UsageException($"{path}: column '{name}' appears twice.");
                default: throw new UsageException($"{path}: column '{name}' is neither time, run, reaction nor a species of the model ({string.Join(", ", network.Species)}).");
            }
        }
        if (time < 0) throw new UsageException($"{path}: there is no 'time' column.");
        var table = new Table(path, values, time, run, reaction, [.. species]);
        for (int row = 0; row < values.Rows; row++)
        {
            double t = table.At(row, time);
            if (t < 0) throw new UsageException($"{path}: data row {row + 1}: time {F(t)} is negative.");
            if (run >= 0 && (table.At(row, run) < 0 || table.At(row, run) != Math.Floor(table.At(row, run))))
                throw new UsageException($"{path}: data row {row + 1}: run {F(table.At(row, run))} is not a whole number ≥ 0.");
        }
        return table;
    }

    /// <summary>The rows of each run in file order, runs in increasing run number.</summary>
    private static IEnumerable<(long Run, List<int> Rows)> Runs(Table table)
    {
        var runs = new SortedDictionary<long, List<int>>();
        for (int row = 0; row < table.Values.Rows; row++)
        {
            long r = table.Run >= 0 ? (long)table.At(row, table.Run) : 0;
            if (!runs.TryGetValue(r, out var rows)) runs[r] = rows = [];
            rows.Add(row);
        }
        return runs.Select(p => (p.Key, p.Value));
    }

    private static List<JumpTrajectory> Events(Table table, ReactionNetwork network, double? t1)
    {
        double end = t1 ?? Enumerable.Range(0, table.Values.Rows).Max(row => table.At(row, table.Time));
        if (!(end > 0)) throw new UsageException($"{table.Path}: the observation window [0, {F(end)}] is empty; give its end with --t1.");
        var result = new List<JumpTrajectory>();
        foreach (var (run, rows) in Runs(table))
        {
            var times = new List<double>();
            var reactions = new List<int>();
            double previous = 0;
            foreach (int row in rows)
            {
                double t = table.At(row, table.Time), j = table.At(row, table.Reaction);
                if (t < previous) throw Unsorted(table, row, run, t, previous, strict: false);
                if (t > end) throw new UsageException($"{table.Path}: data row {row + 1}: time {F(t)} is after the window's end --t1 {F(end)}.");
                previous = t;
                if (j != Math.Floor(j) || j < 0 || j >= network.ReactionCount)
                    throw new UsageException($"{table.Path}: data row {row + 1}: reaction {F(j)} is not one of 0..{network.ReactionCount - 1} (0-based, in the model's order).");
                times.Add(t);
                reactions.Add((int)j);
            }
            result.Add(Trajectory(table, network, [.. network.InitialCounts], times, reactions, end, run));
        }
        return result;
    }

    private static List<JumpTrajectory> EveryEvent(Table table, ReactionNetwork network)
    {
        int d = network.SpeciesCount;
        var result = new List<JumpTrajectory>();
        foreach (var (run, rows) in Runs(table))
        {
            var x = new long[d];
            var initial = new long[d];
            var times = new List<double>();
            var reactions = new List<int>();
            double previous = 0;
            for (int k = 0; k < rows.Count; k++)
            {
                int row = rows[k];
                double t = table.At(row, table.Time);
                if (k == 0 && t != 0) throw new UsageException($"{table.Path}: data row {row + 1}: run {run} starts at time {F(t)}; every-event data start each run with its counts at t = 0.");
                if (t < previous) throw Unsorted(table, row, run, t, previous, strict: false);
                previous = t;
                var y = new long[d];
                foreach (var (column, species) in table.Species)
                {
                    double v = table.At(row, column);
                    if (v < 0) throw Negative(table, row, species, network, v);
                    if (v != Math.Floor(v)) throw new UsageException($"{table.Path}: data row {row + 1}: {network.Species[species]} = {F(v)} is not a whole number of molecules.");
                    y[species] = (long)v;
                }
                if (k == 0)
                {
                    y.CopyTo(initial, 0);
                    y.CopyTo(x, 0);
                    continue;
                }
                int fired = -1;
                bool changed = false;
                for (int i = 0; i < d; i++) changed |= y[i] != x[i];
                if (!changed) continue; // a row that repeats the state (e.g. the window's end)
                for (int j = 0; j < network.ReactionCount; j++)
                {
                    bool match = true;
                    for (int i = 0; i < d && match; i++) match = y[i] - x[i] == network.NetChange(j, i);
                    if (!match) continue;
                    if (fired >= 0)
                        throw new UsageException($"{table.Path}: data row {row + 1}: reactions {fired} and {j} have the same net change, so counts alone cannot tell which fired; give events as time,reaction.");
                    fired = j;
                }
                if (fired < 0)
                    throw new UsageException($"{table.Path}: data row {row + 1}: the change from the previous row is no single reaction's net change (every-event data change by one firing per row; for sparse observations give --noise).");
                times.Add(t);
                reactions.Add(fired);
                y.CopyTo(x, 0);
            }
            result.Add(Trajectory(table, network, initial, times, reactions, previous, run));
        }
        return result;
    }

    private static JumpTrajectory Trajectory(Table table, ReactionNetwork network, long[] initial, List<double> times, List<int> reactions, double end, long run)
    {
        if (!(end > 0)) throw new UsageException($"{table.Path}: run {run} is observed on an empty window (its last time is 0).");
        try
        {
            return new JumpTrajectory(network, initial, times, reactions, end);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{table.Path}: run {run}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    private static UsageException Unsorted(Table table, int row, long run, double t, double previous, bool strict) =>
        new($"{table.Path}: data row {row + 1}: time {F(t)} of run {run} comes after time {F(previous)}; the rows of a run must be sorted by time{(strict ? " and distinct" : "")}.");

    private static UsageException Negative(Table table, int row, int species, ReactionNetwork network, double value) =>
        new($"{table.Path}: data row {row + 1}: {network.Species[species]} = {F(value)} is a negative count.");

    private static string F(double x) => x.ToString("G10", CultureInfo.InvariantCulture);
}
