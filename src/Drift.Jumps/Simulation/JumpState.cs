using System.Text;
using System.Text.Json;
using Drift.Ensembles;
using Drift.IO;
using Drift.Solve;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The mergeable result of one shard of a jump ensemble (<see cref="JumpOptions.Shard"/>): the ensemble state of its
/// runs' statistics (<see cref="EnsembleState"/>: block moments, edge values, quantile sketches, divergences, merged
/// bit for bit), the exact integer count histograms and the events fired. <see cref="Merge"/> gives the unsharded run's
/// <see cref="JumpSolution"/>: identical moments, quantiles, histograms and event total.
/// </summary>
/// <remarks>
/// File format (version 1, in the <see cref="StateFile"/> container with signature <c>DRIFTJMP</c>): the header is
/// JSON (method, species, events, whether histograms are kept); the payload is an int64 length and that many bytes of
/// the inner <see cref="EnsembleState"/> file, then, with histograms, for each (save, species) an int32 bin count and
/// that many int64 counts.
/// </remarks>
public sealed class JumpState
{
    /// <summary>The jump state format this Drift writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "DRIFTJMP"u8.ToArray();
    private readonly CountHistogram[]? _histograms;

    internal JumpState(JumpMethod method, string[] species, EnsembleState ensemble, CountHistogram[]? histograms, long events)
    {
        Method = method;
        Species = species;
        Ensemble = ensemble;
        _histograms = histograms;
        Events = events;
    }

    /// <summary>The method of the run.</summary>
    public JumpMethod Method { get; }

    /// <summary>Species names.</summary>
    public IReadOnlyList<string> Species { get; }

    /// <summary>The shard's ensemble statistics (run description, seed, shard, path range, moments, sketches, divergences).</summary>
    public EnsembleState Ensemble { get; }

    /// <summary>Events fired by this shard's runs.</summary>
    public long Events { get; }

    /// <summary>Whether the file starts with the jump state signature.</summary>
    public static bool IsJumpState(string path) => StateFile.FileHasSignature(path, Magic);

    /// <summary>This state with a description of the run (network, method options), which every shard must share.</summary>
    public JumpState WithDescription(string description) =>
        new(Method, [.. Species], Ensemble.WithDescription(description), _histograms, Events);

    /// <summary>
    /// The solution of the whole run from the states of all its shards, in any order: moments, extrema, quantiles,
    /// divergences and count histograms as the unsharded run reports them, bit for bit, and the summed events.
    /// </summary>
    /// <exception cref="ArgumentException">No states; states of different runs (method, species, description, seed, …); a shard given twice or missing (the message names the files).</exception>
    public static JumpSolution Merge(IEnumerable<JumpState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var list = states.ToList();
        if (list.Count == 0) throw new ArgumentException("there are no shard states to merge.", nameof(states));
        var first = list[0];
        foreach (var s in list)
            if (s.Method != first.Method || !s.Species.SequenceEqual(first.Species) || (s._histograms is null) != (first._histograms is null))
                throw new ArgumentException($"{Name(s)} and {Name(first)} are not shards of one run: their method, species or histogram tracking differ.", nameof(states));
        var statistics = EnsembleState.Merge(list.Select(s => s.Ensemble));
        var ordered = Shard.Arrange(list, s => new Shard(s.Ensemble.ShardIndex, s.Ensemble.ShardCount), Name);
        long events = ordered.Sum(s => s.Events);
        CountHistogram[]? histograms = null;
        if (first._histograms is not null)
        {
            histograms = new CountHistogram[first._histograms.Length];
            for (int k = 0; k < histograms.Length; k++)
            {
                histograms[k] = new CountHistogram();
                foreach (var s in ordered) histograms[k].Merge(s._histograms![k]);
            }
        }
        if (first.Method is not JumpMethod.ChemicalLangevin)
            statistics = statistics.WithCounters(new SolveCounters(events / Math.Max(1, first.Ensemble.RunPaths), 0, 0));
        return new JumpSolution(first.Method, [.. first.Species], statistics, histograms, events);
    }

    private static string Name(JumpState s) => s.Ensemble.Source is { } f ? $"'{f}'" : $"shard {s.Ensemble.ShardIndex}/{s.Ensemble.ShardCount}";

    /// <summary>Writes the state file atomically (see <see cref="AtomicFile"/>).</summary>
    public void Write(string path) => AtomicFile.WriteBinary(path, stream => stream.Write(ToBytes()));

    /// <summary>The state file's bytes (format in the remarks).</summary>
    public byte[] ToBytes()
    {
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("method", Method.ToString());
            w.WriteStartArray("species");
            foreach (string s in Species) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteNumber("events", Events);
            w.WriteBoolean("histograms", _histograms is not null);
            w.WriteEndObject();
        }
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            byte[] inner = Ensemble.ToBytes();
            w.Write((long)inner.Length);
            w.Write(inner);
            foreach (var h in _histograms ?? [])
            {
                var bins = h.Bins;
                w.Write(bins.Length);
                foreach (long b in bins) w.Write(b);
            }
        }
        return StateFile.Pack(Magic, FormatVersion, header.ToArray(), payload.ToArray());
    }

    /// <summary>Reads a state file written by <see cref="Write"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a jump state, another format version, truncated or corrupted (the message names the file and the reason).</exception>
    public static JumpState Read(string path) => FromBytes(StateFile.ReadBytes(path), path);

    /// <summary>Parses a jump state file's bytes; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid jump state (the message says why).</exception>
    public static JumpState FromBytes(ReadOnlySpan<byte> bytes, string source)
    {
        var (header, payload) = StateFile.Unpack(bytes, source, Magic, FormatVersion, "Drift jump state file");
        try
        {
            using var doc = JsonDocument.Parse(header);
            var h = doc.RootElement;
            var method = Enum.Parse<JumpMethod>(h.GetProperty("method").GetString() ?? "");
            string[] species = [.. h.GetProperty("species").EnumerateArray().Select(e => e.GetString() ?? "")];
            long events = h.GetProperty("events").GetInt64();
            bool histograms = h.GetProperty("histograms").GetBoolean();
            using var r = new BinaryReader(new MemoryStream(payload));
            long length = r.ReadInt64();
            if (length < 0 || length > payload.Length - 8) throw new FormatException($"an inner state of {length} bytes in a payload of {payload.Length}");
            var ensemble = EnsembleState.FromBytes(r.ReadBytes((int)length), source);
            if (ensemble.Dimension != species.Length) throw new FormatException($"{species.Length} species but dimension {ensemble.Dimension}");
            CountHistogram[]? bins = null;
            if (histograms)
            {
                bins = new CountHistogram[ensemble.Times.Count * species.Length];
                for (int k = 0; k < bins.Length; k++)
                {
                    int count = r.ReadInt32();
                    if (count < 0 || (long)count * 8 > r.BaseStream.Length - r.BaseStream.Position) throw new FormatException($"histogram {k} of {count} bins overruns the payload");
                    var values = new long[count];
                    for (int b = 0; b < count; b++) values[b] = r.ReadInt64();
                    bins[k] = CountHistogram.FromBins(values);
                }
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw new FormatException($"{r.BaseStream.Length - r.BaseStream.Position} bytes left after the histograms");
            return new JumpState(method, species, ensemble, bins, events);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or EndOfStreamException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"'{source}' has a valid checksum but unreadable contents ({e.Message}).");
        }
    }
}
