using System.Text;
using System.Text.Json;
using Drift.IO;
using Drift.Solve;
using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// The mergeable statistics of one shard of an ensemble run (<see cref="EnsembleOptions.Shard"/>): enough to rebuild,
/// together with the other shards, exactly the <see cref="EnsembleSolution"/> the unsharded run reports.
/// </summary>
/// <remarks>
/// <para>
/// The unsharded run folds the moments of consecutive 256-path blocks into its totals in path order with Chan's
/// update (<see cref="Statistics.Moments.Merge"/>), which is not associative in floating point. A shard of paths
/// [a, b) therefore keeps the moments of every block it covers entirely and the raw values (NaN for a diverged
/// path) of the at most two blocks it covers in part. <see cref="Merge"/> completes each cut block from its pieces
/// in path order, computes its moments as the unsharded run does, and replays the same fold: counts, means, sums of
/// squared deviations (hence variances and standard errors), minima and maxima are bit-identical to the unsharded
/// run's. Quantile sketches hold integer counts and exact extremes, so their merge is exact and order-free.
/// Divergences keep the first 100 by path index of each shard, enough for the merged first 100.
/// </para>
/// <para>
/// File format (version 1, little-endian): the 8 ASCII bytes <c>DRIFTSTA</c>; a uint32 format version; a uint32
/// header length H and H bytes of UTF-8 JSON (Drift version, description, seed, run paths, shard i and N, path
/// range, dimension, save times, counters, diverged paths); a uint64 payload length L and L payload bytes (block
/// moments, edge values, sketches, divergences); then the SHA-256 of every preceding byte. <see cref="Read"/>
/// refuses a file whose magic, version, lengths or checksum do not hold, naming the file and the reason.
/// </para>
/// </remarks>
public sealed class EnsembleState
{
    /// <summary>The state file format this Drift writes and reads.</summary>
    public const int FormatVersion = 1;

    private const int MaxListedDivergences = 100;
    private static readonly byte[] Magic = "DRIFTSTA"u8.ToArray();
    internal static readonly string CurrentDriftVersion = typeof(EnsembleState).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>What makes shards parts of one run; every field must agree for a merge.</summary>
    internal sealed record Identity(string Description, string DriftVersion, ulong Seed, long RunPaths, int ShardCount, int Dimension,
        double[] Times, bool HasQuantiles, SolveCounters Counters)
    {
        /// <summary>The first field that differs from <paramref name="other"/>, with both values, or null when they agree.</summary>
        public string? Difference(Identity other) =>
            Description != other.Description ? $"description ('{Cut(Description)}' vs '{Cut(other.Description)}')"
            : DriftVersion != other.DriftVersion ? $"Drift version ({DriftVersion} vs {other.DriftVersion})"
            : Seed != other.Seed ? $"seed ({Seed} vs {other.Seed})"
            : RunPaths != other.RunPaths ? $"paths of the run ({RunPaths} vs {other.RunPaths})"
            : ShardCount != other.ShardCount ? $"shard count ({ShardCount} vs {other.ShardCount})"
            : Dimension != other.Dimension ? $"dimension ({Dimension} vs {other.Dimension})"
            : !Times.AsSpan().SequenceEqual(other.Times) ? "save times"
            : HasQuantiles != other.HasQuantiles ? "quantile tracking"
            : Counters != other.Counters ? $"steps or evaluations per path ({Counters} vs {other.Counters})"
            : null;

        private static string Cut(string s) => s.Length <= 80 ? s : s[..80] + "…";
    }

    /// <summary>The raw values of a block the shard covers in part: global block index, first path, length, values (row-major, rows × length).</summary>
    internal sealed record EdgePiece(long Block, long Start, int Length, double[] Values);

    private readonly Identity _identity;
    private readonly long _firstBlock;
    private readonly int _blockCount;
    private readonly Moments[] _blocks;
    private readonly EdgePiece[] _edges;
    private readonly QuantileSketch[]? _sketches;
    private readonly Divergence[] _divergences;

    internal EnsembleState(Identity identity, int shardIndex, long firstPath, long endPath, long firstBlock, int blockCount, Moments[] blocks,
        EdgePiece[] edges, QuantileSketch[]? sketches, Divergence[] divergences, long divergedPaths, string? source = null)
    {
        _identity = identity;
        ShardIndex = shardIndex;
        FirstPath = firstPath;
        EndPath = endPath;
        _firstBlock = firstBlock;
        _blockCount = blockCount;
        _blocks = blocks;
        _edges = edges;
        _sketches = sketches;
        _divergences = divergences;
        DivergedPaths = divergedPaths;
        Source = source;
    }

    /// <summary>The caller's description of the run (model, solver, parameters): shards merge only when it agrees.</summary>
    public string Description => _identity.Description;

    /// <summary>The Drift version that computed the shard (shards of different versions do not merge).</summary>
    public string DriftVersion => _identity.DriftVersion;

    /// <summary>Seed of the run.</summary>
    public ulong Seed => _identity.Seed;

    /// <summary>Paths of the whole run, P.</summary>
    public long RunPaths => _identity.RunPaths;

    /// <summary>This shard's index i.</summary>
    public int ShardIndex { get; }

    /// <summary>Number of shards N.</summary>
    public int ShardCount => _identity.ShardCount;

    /// <summary>First path of the shard, ⌊iP/N⌋.</summary>
    public long FirstPath { get; }

    /// <summary>One past the last path of the shard, ⌊(i + 1)P/N⌋.</summary>
    public long EndPath { get; }

    /// <summary>State dimension d.</summary>
    public int Dimension => _identity.Dimension;

    /// <summary>The save times.</summary>
    public IReadOnlyList<double> Times => _identity.Times;

    /// <summary>Paths of this shard that diverged.</summary>
    public long DivergedPaths { get; }

    /// <summary>The file the state was read from, or null; named in merge errors.</summary>
    public string? Source { get; }

    private string Name => Source is { } s ? $"'{s}'" : $"shard {ShardIndex}/{ShardCount}";

    /// <summary>This state with a description of the run (model, solver, parameters), which every shard of the run must share.</summary>
    /// <exception cref="ArgumentNullException">The description is null.</exception>
    public EnsembleState WithDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return new EnsembleState(_identity with { Description = description }, ShardIndex, FirstPath, EndPath, _firstBlock, _blockCount, _blocks,
            _edges, _sketches, _divergences, DivergedPaths, Source);
    }

    /// <summary>
    /// The solution of the whole run from the states of all its shards, in any order: bit-identical moments,
    /// extrema and quantiles to the unsharded run's (see the remarks of <see cref="EnsembleState"/>). The merged
    /// solution holds no per-path states.
    /// </summary>
    /// <exception cref="ArgumentException">No states; states of different runs; a shard given twice or missing (the message names the files).</exception>
    public static EnsembleSolution Merge(IEnumerable<EnsembleState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var list = states.ToList();
        if (list.Count == 0) throw new ArgumentException("there are no shard states to merge.", nameof(states));
        if (list.Any(s => s is null)) throw new ArgumentException("a shard state is null.", nameof(states));
        var first = list[0];
        foreach (var s in list)
            if (s._identity.Difference(first._identity) is { } why)
                throw new ArgumentException($"{s.Name} and {first.Name} are not shards of one run: their {why} differ.", nameof(states));
        var shards = Shard.Arrange(list, s => new Shard(s.ShardIndex, s.ShardCount), s => s.Name);

        var id = first._identity;
        int rows = id.Times.Length * id.Dimension;
        var totals = new Moments[rows];
        var pending = new List<double>(EnsembleAccumulator.ReductionBlock);
        for (int row = 0; row < rows; row++)
        {
            var total = Moments.Empty;
            long pendingBlock = -1;
            foreach (var shard in shards)
            {
                for (int k = 0; k < shard._blockCount; k++)
                {
                    long block = shard._firstBlock + k;
                    var edge = Array.Find(shard._edges, e => e.Block == block);
                    if (edge is null)
                    {
                        Flush(ref total, pending, ref pendingBlock);
                        total = total.Merge(shard._blocks[row * shard._blockCount + k]);
                        continue;
                    }
                    if (pendingBlock != block) Flush(ref total, pending, ref pendingBlock);
                    pendingBlock = block;
                    foreach (double v in edge.Values.AsSpan(row * edge.Length, edge.Length))
                        if (!double.IsNaN(v)) pending.Add(v);
                }
            }
            Flush(ref total, pending, ref pendingBlock);
            totals[row] = total;
        }

        QuantileSketch[]? sketches = null;
        if (id.HasQuantiles)
        {
            sketches = new QuantileSketch[rows];
            for (int row = 0; row < rows; row++)
            {
                sketches[row] = new QuantileSketch();
                foreach (var shard in shards) sketches[row].Merge(shard._sketches![row]);
            }
        }
        long diverged = shards.Sum(s => s.DivergedPaths);
        var divergences = shards.SelectMany(s => s._divergences).ToList();
        return new EnsembleSolution([.. id.Times], id.Dimension, 0, id.RunPaths, totals, sketches, null,
            diverged > 0 ? SolveStatus.Diverged : SolveStatus.Success, divergences, diverged, id.Counters);
    }

    /// <summary>Folds a completed cut block (its finite values in path order, moments as the unsharded run computes them).</summary>
    private static void Flush(ref Moments total, List<double> pending, ref long pendingBlock)
    {
        if (pendingBlock < 0) return;
        total = total.Merge(Moments.Of(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)));
        pending.Clear();
        pendingBlock = -1;
    }

    /// <summary>Writes the state file atomically (temporary sibling, then rename; see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentException">The path is empty or a directory.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Write(string path) => AtomicFile.WriteBinary(path, stream => { var bytes = ToBytes(); stream.Write(bytes); });

    /// <summary>The state file's bytes (format in the remarks of <see cref="EnsembleState"/>).</summary>
    public byte[] ToBytes() => StateFile.Pack(Magic, FormatVersion, Header(), Payload());

    private byte[] Header()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            var id = _identity;
            w.WriteStartObject();
            w.WriteString("drift", id.DriftVersion);
            w.WriteString("description", id.Description);
            w.WriteNumber("seed", id.Seed);
            w.WriteNumber("runPaths", id.RunPaths);
            w.WriteNumber("shard", ShardIndex);
            w.WriteNumber("shards", id.ShardCount);
            w.WriteNumber("firstPath", FirstPath);
            w.WriteNumber("endPath", EndPath);
            w.WriteNumber("dimension", id.Dimension);
            w.WriteStartArray("times");
            foreach (double t in id.Times) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteBoolean("quantiles", id.HasQuantiles);
            w.WriteNumber("steps", id.Counters.Steps);
            w.WriteNumber("driftEvaluations", id.Counters.DriftEvaluations);
            w.WriteNumber("diffusionEvaluations", id.Counters.DiffusionEvaluations);
            w.WriteNumber("divergedPaths", DivergedPaths);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private byte[] Payload()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(_firstBlock);
            w.Write(_blockCount);
            foreach (var m in _blocks)
            {
                w.Write(m.Count);
                w.Write(m.Mean);
                w.Write(m.SumSquaredDeviations);
                w.Write(m.Min);
                w.Write(m.Max);
            }
            w.Write(_edges.Length);
            foreach (var e in _edges)
            {
                w.Write(e.Block);
                w.Write(e.Start);
                w.Write(e.Length);
                foreach (double v in e.Values) w.Write(v);
            }
            w.Write(_sketches?.Length ?? 0);
            foreach (var s in _sketches ?? [])
            {
                w.Write(s.Count);
                w.Write(s.Min);
                w.Write(s.Max);
                var buckets = s.Buckets().ToList();
                w.Write(buckets.Count);
                foreach (var (key, count) in buckets)
                {
                    w.Write(key);
                    w.Write(count);
                }
            }
            w.Write(_divergences.Length);
            foreach (var d in _divergences)
            {
                w.Write(d.Path);
                w.Write(d.Time);
                w.Write(d.Component);
                w.Write(d.Value);
                w.Write((int)d.Cause);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Reads a state file written by <see cref="Write"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a state file, is of another format version, is truncated or corrupted; the message names the file and the reason.</exception>
    public static EnsembleState Read(string path) => FromBytes(StateFile.ReadBytes(path), path);

    /// <summary>Parses a state file's bytes; <paramref name="source"/> names it in errors and becomes <see cref="Source"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid state file (the message says why).</exception>
    public static EnsembleState FromBytes(ReadOnlySpan<byte> bytes, string source)
    {
        var (header, payload) = StateFile.Unpack(bytes, source, Magic, FormatVersion, "Drift state file");
        try
        {
            return Parse(header, payload, source);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or EndOfStreamException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"'{source}' has a valid checksum but unreadable contents ({e.Message}).");
        }
    }

    private static EnsembleState Parse(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, string source)
    {
        using var doc = JsonDocument.Parse(header.ToArray());
        var h = doc.RootElement;
        var counters = new SolveCounters(h.GetProperty("steps").GetInt64(), h.GetProperty("driftEvaluations").GetInt64(), h.GetProperty("diffusionEvaluations").GetInt64());
        var identity = new Identity(h.GetProperty("description").GetString() ?? "", h.GetProperty("drift").GetString() ?? "", h.GetProperty("seed").GetUInt64(),
            h.GetProperty("runPaths").GetInt64(), h.GetProperty("shards").GetInt32(), h.GetProperty("dimension").GetInt32(),
            [.. h.GetProperty("times").EnumerateArray().Select(t => t.GetDouble())], h.GetProperty("quantiles").GetBoolean(), counters);
        int shard = h.GetProperty("shard").GetInt32();
        long firstPath = h.GetProperty("firstPath").GetInt64(), endPath = h.GetProperty("endPath").GetInt64();
        new Shard(shard, identity.ShardCount).Validate(identity.RunPaths);
        var range = new Shard(shard, identity.ShardCount);
        if (firstPath != range.FirstPath(identity.RunPaths) || endPath != range.EndPath(identity.RunPaths))
            throw new FormatException($"paths [{firstPath}, {endPath}) are not shard {range} of {identity.RunPaths} paths");
        int rows = checked(identity.Times.Length * identity.Dimension);

        using var stream = new MemoryStream(payload.ToArray());
        using var r = new BinaryReader(stream);
        long firstBlock = r.ReadInt64();
        int blockCount = r.ReadInt32();
        if (firstBlock != firstPath / EnsembleAccumulator.ReductionBlock || blockCount != (int)((endPath - 1) / EnsembleAccumulator.ReductionBlock - firstBlock + 1))
            throw new FormatException("the block range does not match the path range");
        if (rows < 1 || (long)rows * blockCount * 40 > payload.Length) throw new FormatException($"{rows} rows of {blockCount} blocks do not fit a payload of {payload.Length} bytes");
        var blocks = new Moments[rows * blockCount];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = new Moments(r.ReadInt64(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        int edgeCount = r.ReadInt32();
        if (edgeCount is < 0 or > 2) throw new FormatException($"{edgeCount} edge blocks");
        var edges = new EdgePiece[edgeCount];
        for (int e = 0; e < edgeCount; e++)
        {
            long block = r.ReadInt64(), start = r.ReadInt64();
            int length = r.ReadInt32();
            if (length is < 1 or > EnsembleAccumulator.ReductionBlock || block < firstBlock || block >= firstBlock + blockCount)
                throw new FormatException($"edge block {block} of {length} paths");
            if ((long)rows * length * 8 > stream.Length - stream.Position) throw new FormatException($"edge block {block} overruns the payload");
            var values = new double[rows * length];
            for (int i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
            edges[e] = new EdgePiece(block, start, length, values);
        }
        int sketchCount = r.ReadInt32();
        if (sketchCount != (identity.HasQuantiles ? rows : 0)) throw new FormatException($"{sketchCount} sketches for {rows} rows");
        QuantileSketch[]? sketches = identity.HasQuantiles ? new QuantileSketch[rows] : null;
        for (int s = 0; s < sketchCount; s++)
        {
            long count = r.ReadInt64();
            double min = r.ReadDouble(), max = r.ReadDouble();
            int buckets = r.ReadInt32();
            if (buckets < 0 || buckets > payload.Length / 12) throw new FormatException($"{buckets} buckets");
            var list = new (int, long)[buckets];
            for (int b = 0; b < buckets; b++) list[b] = (r.ReadInt32(), r.ReadInt64());
            sketches![s] = QuantileSketch.FromBuckets(list, count, min, max);
        }
        int divergenceCount = r.ReadInt32();
        if (divergenceCount is < 0 or > MaxListedDivergences) throw new FormatException($"{divergenceCount} divergences");
        var divergences = new Divergence[divergenceCount];
        for (int i = 0; i < divergenceCount; i++)
        {
            long path = r.ReadInt64();
            double time = r.ReadDouble();
            int component = r.ReadInt32();
            double value = r.ReadDouble();
            var cause = (SolveStatus)r.ReadInt32();
            if (!Enum.IsDefined(cause)) throw new FormatException($"divergence {i} has an unknown cause {(int)cause}");
            divergences[i] = new Divergence(path, time, component, value, cause);
        }
        if (stream.Position != stream.Length) throw new FormatException($"{stream.Length - stream.Position} bytes left after the divergences");
        return new EnsembleState(identity, shard, firstPath, endPath, firstBlock, blockCount, blocks, edges, sketches, divergences,
            h.GetProperty("divergedPaths").GetInt64(), source);
    }
}
