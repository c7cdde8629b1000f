using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Ensembles;
using Drift.IO;

namespace Drift.Cli.Diffuse;

/// <summary>
/// One shard of <c>drift diffuse sample --shard i/K --state FILE</c>: its samples (rows [⌊iN/K⌋, ⌊(i+1)N/K⌋) of the
/// N-sample run), the NFE and failed solves, and the run's description. The report's metrics (sliced W2, MMD, moments
/// against exact samples of the target) need every sample, so the state stores the samples and <c>drift merge</c>
/// recomputes the metrics from all of them.
/// </summary>
/// <remarks>
/// File format (version 1, in the <see cref="StateFile"/> container with signature <c>DRIFTDIF</c>): the header is JSON
/// (Drift version, description, shard, shards, n, first, rows, dimension, evaluations over all rows, failed solves); the payload is rows × d float64
/// values, sample-major.
/// </remarks>
internal sealed record DiffuseState(string Description, string DriftVersion, Shard Shard, int RunSamples, long First, int Dimension, DiffuseState.Samples Rows)
{
    /// <summary>
    /// Rows of samples (d values each, sample-major) with the sampler's evaluations over all rows and failed solves. The
    /// reported NFE is ⌈evaluations / rows⌉: the fixed NFE of a grid sampler, the mean of an adaptive one, as unsharded.
    /// </summary>
    public sealed record Samples(double[] Values, int Count, long Evaluations, int Failed)
    {
        /// <summary>NFE per sample, as the sampler reports it.</summary>
        public int Nfe => Count == 0 ? 0 : (int)Math.Ceiling((double)Evaluations / Count);
    }

    private static readonly byte[] Magic = "DRIFTDIF"u8.ToArray();

    /// <summary>The format this Drift writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The file the state was read from.</summary>
    public string Source { get; init; } = "";

    /// <summary>Whether the file starts with the diffuse state signature.</summary>
    public static bool IsDiffuseState(string path) => StateFile.FileHasSignature(path, Magic);

    /// <summary>The bytes of a shard's state file.</summary>
    public static byte[] ToBytes(string description, Shard shard, int runSamples, long first, Samples rows)
    {
        int d = rows.Count == 0 ? 0 : rows.Values.Length / rows.Count;
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("drift", Runs.Invocation.Version);
            w.WriteString("description", description);
            w.WriteNumber("shard", shard.Index);
            w.WriteNumber("shards", shard.Count);
            w.WriteNumber("n", runSamples);
            w.WriteNumber("first", first);
            w.WriteNumber("rows", rows.Count);
            w.WriteNumber("dimension", d);
            w.WriteNumber("evaluations", rows.Evaluations);
            w.WriteNumber("failed", rows.Failed);
            w.WriteEndObject();
        }
        var payload = new byte[rows.Values.Length * 8];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.Values.AsSpan()).CopyTo(payload);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("state files are written on little-endian machines.");
        return StateFile.Pack(Magic, FormatVersion, header.ToArray(), payload);
    }

    /// <summary>Reads a state file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a diffuse state, another version, truncated or corrupted (the message names the file).</exception>
    public static DiffuseState Read(string path)
    {
        var (header, payload) = StateFile.Unpack(StateFile.ReadBytes(path), path, Magic, FormatVersion, "Drift diffuse state file");
        try
        {
            using var doc = JsonDocument.Parse(header);
            var h = doc.RootElement;
            var shard = new Shard(h.GetProperty("shard").GetInt32(), h.GetProperty("shards").GetInt32());
            int n = h.GetProperty("n").GetInt32(), rows = h.GetProperty("rows").GetInt32(), d = h.GetProperty("dimension").GetInt32();
            long first = h.GetProperty("first").GetInt64();
            shard.Validate(n);
            if (first != shard.FirstPath(n) || first + rows != shard.EndPath(n)) throw new FormatException($"rows {first}..{first + rows - 1} are not shard {shard} of {n} samples");
            if (d < 1 || (long)rows * d * 8 != payload.Length) throw new FormatException($"{rows} rows of dimension {d} do not fill a payload of {payload.Length} bytes");
            var values = new double[rows * d];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(payload).CopyTo(values);
            return new DiffuseState(h.GetProperty("description").GetString() ?? "", h.GetProperty("drift").GetString() ?? "", shard, n, first, d,
                new Samples(values, rows, h.GetProperty("evaluations").GetInt64(), h.GetProperty("failed").GetInt32())) { Source = path };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"'{path}' has a valid checksum but unreadable contents ({e.Message}).");
        }
    }

    /// <summary>All samples of the run in sample order, from its shards in any order.</summary>
    /// <exception cref="UsageException">States of different runs, a shard given twice or missing (the message names the files).</exception>
    public static Samples Merge(IReadOnlyList<DiffuseState> states)
    {
        var first = states[0];
        foreach (var s in states)
        {
            string? why = s.Description != first.Description ? "descriptions"
                : s.DriftVersion != first.DriftVersion ? $"Drift versions ({first.DriftVersion} vs {s.DriftVersion})"
                : s.RunSamples != first.RunSamples || s.Dimension != first.Dimension ? "sample counts or dimensions"
                : null;
            if (why is not null) throw new UsageException($"'{s.Source}' and '{first.Source}' are not shards of one run: their {why} differ.");
        }
        DiffuseState[] ordered;
        try
        {
            ordered = Shard.Arrange(states, s => s.Shard, s => $"'{s.Source}'");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var values = ordered.SelectMany(s => s.Rows.Values).ToArray();
        return new Samples(values, first.RunSamples, ordered.Sum(s => s.Rows.Evaluations), ordered.Sum(s => s.Rows.Failed));
    }
}
