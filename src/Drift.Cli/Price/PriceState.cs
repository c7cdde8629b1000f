using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Models.Finance;
using Drift.Statistics;

namespace Drift.Cli.Price;

/// <summary>
/// The mergeable result of one shard of <c>drift price --shard i/N --state FILE</c>: the moments of the shard's
/// discounted payoff samples (<see cref="PriceEstimate.Samples"/>) and what identifies the run.
/// </summary>
/// <remarks>
/// File format (version 1, little-endian): the 8 ASCII bytes <c>DRIFTPRC</c>; a uint32 format version; a uint32 length H
/// and H bytes of UTF-8 JSON (Drift version, the run's canonical arguments, shard i and N, paths of the shard, and the
/// sample moments count, mean, sum of squared deviations, min and max, each number as a round-trip string); then the
/// SHA-256 of every preceding byte. <c>drift merge</c> refuses a file whose magic, version, length or checksum do not
/// hold, shards of different runs (arguments or version differ), and duplicate or missing shards, naming the files.
/// </remarks>
internal sealed record PriceState(string DriftVersion, string[] Arguments, int ShardIndex, int ShardCount, long Paths, Moments Samples)
{
    private static readonly byte[] Magic = "DRIFTPRC"u8.ToArray();

    /// <summary>The format this Drift writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The file the state was read from (named in errors).</summary>
    public string Source { get; init; } = "";

    /// <summary>Whether <paramref name="path"/> starts like a price state file.</summary>
    public static bool IsPriceState(string path)
    {
        try
        {
            using var s = File.OpenRead(path);
            Span<byte> head = stackalloc byte[8];
            return s.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes the state file (through <see cref="OutputFile"/>: atomic, refused after an interrupt, recorded).</summary>
    public void Write(string path)
    {
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteString("driftVersion", DriftVersion);
            w.WriteStartArray("arguments");
            foreach (string a in Arguments) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteNumber("shardIndex", ShardIndex);
            w.WriteNumber("shardCount", ShardCount);
            w.WriteNumber("paths", Paths);
            w.WriteNumber("count", Samples.Count);
            w.WriteString("mean", R(Samples.Mean));
            w.WriteString("sumSquaredDeviations", R(Samples.SumSquaredDeviations));
            w.WriteString("min", R(Samples.Min));
            w.WriteString("max", R(Samples.Max));
            w.WriteEndObject();
        }
        byte[] header = json.ToArray();
        var bytes = new byte[16 + header.Length + 32];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)header.Length);
        header.CopyTo(bytes, 16);
        SHA256.HashData(bytes.AsSpan(0, 16 + header.Length), bytes.AsSpan(16 + header.Length));
        OutputFile.WriteBinary(path, s => s.Write(bytes));
    }

    /// <summary>Reads a state file.</summary>
    /// <exception cref="UsageException">The file is missing, not a price state, of another version, truncated or corrupted (the message names it).</exception>
    public static PriceState Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new UsageException($"state file '{path}' does not exist."); }
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(Magic)) throw Bad(path, "it is not a price state file (no DRIFTPRC header)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion) throw Bad(path, $"format version {version}, this Drift reads version {FormatVersion}");
        long length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (bytes.Length != 16 + length + 32) throw Bad(path, $"it is {bytes.Length} bytes, its header says {16 + length + 32} (truncated or extended)");
        if (!SHA256.HashData(bytes.AsSpan(0, (int)(16 + length))).AsSpan().SequenceEqual(bytes.AsSpan((int)(16 + length))))
            throw Bad(path, "its SHA-256 checksum does not match (the file is corrupted)");
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(16, (int)length));
            var d = doc.RootElement;
            var samples = new Moments(d.GetProperty("count").GetInt64(), D(d, "mean"), D(d, "sumSquaredDeviations"), D(d, "min"), D(d, "max"));
            return new PriceState(d.GetProperty("driftVersion").GetString()!, [.. d.GetProperty("arguments").EnumerateArray().Select(e => e.GetString()!)],
                d.GetProperty("shardIndex").GetInt32(), d.GetProperty("shardCount").GetInt32(), d.GetProperty("paths").GetInt64(), samples) { Source = path };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(path, $"its header is not a price state: {e.Message}");
        }
    }

    /// <summary>
    /// The price of the whole run from all its shards, in any order: the sample moments merged in shard order (Chan's
    /// update), so the price and standard error equal the unsharded run's to rounding (counts, min and max exactly).
    /// </summary>
    /// <exception cref="UsageException">States of different runs, or a shard given twice or missing (the message names the files).</exception>
    public static PriceEstimate Merge(IReadOnlyList<PriceState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var first = states[0];
        foreach (var s in states.Skip(1))
        {
            string? difference = s.DriftVersion != first.DriftVersion ? $"Drift version {first.DriftVersion} against {s.DriftVersion}"
                : s.ShardCount != first.ShardCount ? $"{first.ShardCount} shards against {s.ShardCount}"
                : !s.Arguments.SequenceEqual(first.Arguments) ? $"'{string.Join(' ', first.Arguments)}' against '{string.Join(' ', s.Arguments)}'"
                : null;
            if (difference is not null) throw new UsageException($"'{first.Source}' and '{s.Source}' are shards of different runs: {difference}.");
        }
        var byIndex = new PriceState?[first.ShardCount];
        foreach (var s in states)
        {
            if (byIndex[s.ShardIndex] is { } twice) throw new UsageException($"shard {s.ShardIndex}/{s.ShardCount} is given twice: '{twice.Source}' and '{s.Source}'.");
            byIndex[s.ShardIndex] = s;
        }
        var missing = Enumerable.Range(0, first.ShardCount).Where(i => byIndex[i] is null).ToList();
        if (missing.Count > 0)
            throw new UsageException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(10))} of {first.ShardCount} missing (given: {string.Join(", ", states.Select(s => s.Source))}).");
        var total = Moments.Empty;
        long paths = 0;
        foreach (var s in byIndex)
        {
            total = total.Merge(s!.Samples);
            paths += s.Paths;
        }
        return new PriceEstimate(total.Mean, total.StandardError, paths, true) { Samples = total };
    }

    private static UsageException Bad(string path, string reason) => new($"state file '{path}' is refused: {reason}.");

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double D(JsonElement e, string name) => double.Parse(e.GetProperty(name).GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
}
