using System.Text;
using System.Text.Json;
using Drift.Ensembles;
using Drift.IO;

namespace Drift.Sampling;

/// <summary>
/// One shard of an MCMC run (<see cref="McmcOptions.Shard"/>): every draw of its chains with their sampler statistics
/// (accept_stat, stepsize, treedepth, n_leapfrog, divergent, energy, lp) and warm-up results (step size, inverse
/// metric, warm-up divergences), and the run's description. R̂, ESS and MCSE are not mergeable statistics — rank
/// normalisation and autocorrelations need every draw of every chain — so the state keeps the draws and
/// <see cref="Merge"/> rebuilds the unsharded <see cref="McmcResult"/>, from which the summary is recomputed.
/// </summary>
/// <remarks>
/// File format (version 1, in the <see cref="StateFile"/> container with signature <c>DRIFTMCM</c>): the header is JSON
/// (Drift version, description, shard, shards, firstChain, chains, draws per chain, parameter names, metric size);
/// the payload is, chain-major, the draws (float64 × d per draw), then per draw accept_stat, stepsize, energy, lp
/// (float64), treedepth, n_leapfrog (int32), divergent (byte), then per chain the step size (float64), warm-up
/// divergences (int32), metric length (int32) and the inverse metric (float64 each).
/// </remarks>
public sealed class McmcState
{
    /// <summary>The MCMC state format this Drift writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "DRIFTMCM"u8.ToArray();

    /// <summary>A shard's state: its chains and the run's description (every option that changes the draws).</summary>
    /// <exception cref="ArgumentException">The result is not a shard's (no <see cref="McmcOptions.Shard"/>, and not the whole run).</exception>
    public McmcState(McmcResult result, string description)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(description);
        Result = result;
        Description = description;
        Shard = result.Options.Shard ?? Shard.Whole;
        RunChains = result.Options.Chains;
        if (result.FirstChain != Shard.FirstPath(RunChains) || result.FirstChain + result.Chains != Shard.EndPath(RunChains))
            throw new ArgumentException($"chains {result.FirstChain}..{result.FirstChain + result.Chains - 1} are not shard {Shard} of {RunChains} chains.", nameof(result));
    }

    /// <summary>The shard's chains (its options hold only what the file records: chains, draws, names, shard).</summary>
    public McmcResult Result { get; }

    /// <summary>The run's description; shards merge only when it agrees.</summary>
    public string Description { get; }

    /// <summary>This state's shard of the run's chains.</summary>
    public Shard Shard { get; }

    /// <summary>Chains of the whole run, C.</summary>
    public int RunChains { get; }

    /// <summary>The Drift version that sampled the shard.</summary>
    public string DriftVersion { get; private init; } = EnsembleState.CurrentDriftVersion;

    /// <summary>The file the state was read from, or null.</summary>
    public string? Source { get; private init; }

    private string Name => Source is { } s ? $"'{s}'" : $"shard {Shard}";

    /// <summary>Whether the file starts with the MCMC state signature.</summary>
    public static bool IsMcmcState(string path) => StateFile.FileHasSignature(path, Magic);

    /// <summary>
    /// The unsharded run from all its shards, in any order, under <paramref name="options"/> (the run's options without a
    /// shard; they label the result and its summaries): the draws of every chain as the unsharded run samples them.
    /// </summary>
    /// <exception cref="ArgumentException">States of different runs (description, Drift version, chains, draws, names), a shard given twice or missing (the message names the files).</exception>
    public static McmcResult Merge(IEnumerable<McmcState> states, McmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(options);
        var list = states.ToList();
        if (list.Count == 0) throw new ArgumentException("there are no shard states to merge.", nameof(states));
        var first = list[0];
        foreach (var s in list)
        {
            string? why = s.Description != first.Description ? "descriptions"
                : s.DriftVersion != first.DriftVersion ? $"Drift versions ({first.DriftVersion} vs {s.DriftVersion})"
                : s.RunChains != first.RunChains ? $"chain counts ({first.RunChains} vs {s.RunChains})"
                : s.Result.DrawsPerChain != first.Result.DrawsPerChain ? "draws per chain"
                : !s.Result.Names.SequenceEqual(first.Result.Names) ? "parameter names"
                : null;
            if (why is not null) throw new ArgumentException($"{s.Name} and {first.Name} are not shards of one run: their {why} differ.", nameof(states));
        }
        var ordered = Shard.Arrange(list, s => s.Shard, s => s.Name);
        if (options.Chains != first.RunChains) throw new ArgumentException($"the states hold a run of {first.RunChains} chains, the options say {options.Chains}.", nameof(options));
        return McmcResult.Concatenate(options, [.. ordered.Select(s => s.Result)]);
    }

    /// <summary>Writes the state file atomically (see <see cref="AtomicFile"/>).</summary>
    public void Write(string path) => AtomicFile.WriteBinary(path, stream => stream.Write(ToBytes()));

    /// <summary>The state file's bytes (format in the remarks).</summary>
    public byte[] ToBytes()
    {
        var r = Result;
        var raw = r.Raw;
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("drift", DriftVersion);
            w.WriteString("description", Description);
            w.WriteNumber("shard", Shard.Index);
            w.WriteNumber("shards", Shard.Count);
            w.WriteNumber("runChains", RunChains);
            w.WriteNumber("firstChain", r.FirstChain);
            w.WriteNumber("chains", r.Chains);
            w.WriteNumber("draws", r.DrawsPerChain);
            w.WriteStartArray("names");
            foreach (string n in r.Names) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            foreach (double x in raw.Draws) w.Write(x);
            int rows = r.Chains * r.DrawsPerChain;
            for (int i = 0; i < rows; i++)
            {
                w.Write(raw.Accept[i]); w.Write(raw.StepSize[i]); w.Write(raw.Energy[i]); w.Write(raw.Lp[i]);
                w.Write(raw.TreeDepth[i]); w.Write(raw.Steps[i]); w.Write(raw.Divergent[i]);
            }
            foreach (var a in raw.Adaptation)
            {
                w.Write(a.StepSize);
                w.Write(a.WarmupDivergences);
                w.Write(a.InverseMetric.Count);
                foreach (double m in a.InverseMetric) w.Write(m);
            }
        }
        return StateFile.Pack(Magic, FormatVersion, header.ToArray(), payload.ToArray());
    }

    /// <summary>Reads a state file written by <see cref="Write"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not an MCMC state, another format version, truncated or corrupted (the message names the file and the reason).</exception>
    public static McmcState Read(string path) => FromBytes(StateFile.ReadBytes(path), path);

    /// <summary>Parses an MCMC state file's bytes; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid MCMC state (the message says why).</exception>
    public static McmcState FromBytes(ReadOnlySpan<byte> bytes, string source)
    {
        var (header, payload) = StateFile.Unpack(bytes, source, Magic, FormatVersion, "Drift MCMC state file");
        try
        {
            using var doc = JsonDocument.Parse(header);
            var h = doc.RootElement;
            var shard = new Shard(h.GetProperty("shard").GetInt32(), h.GetProperty("shards").GetInt32());
            int runChains = h.GetProperty("runChains").GetInt32(), firstChain = h.GetProperty("firstChain").GetInt32();
            int chains = h.GetProperty("chains").GetInt32(), draws = h.GetProperty("draws").GetInt32();
            string[] names = [.. h.GetProperty("names").EnumerateArray().Select(e => e.GetString() ?? "")];
            shard.Validate(runChains);
            if (firstChain != shard.FirstPath(runChains) || firstChain + chains != shard.EndPath(runChains))
                throw new FormatException($"chains {firstChain}..{firstChain + chains - 1} are not shard {shard} of {runChains} chains");
            long rows = (long)chains * draws;
            if (names.Length < 1 || draws < 1 || rows * (names.Length * 8 + 41) > payload.Length)
                throw new FormatException($"{chains} chains x {draws} draws x {names.Length} parameters do not fit a payload of {payload.Length} bytes");
            var result = new McmcResult(names, new McmcOptions { Chains = runChains, Draws = draws, ParameterNames = names, Shard = shard }, chains, firstChain);
            var raw = result.Raw;
            using var r = new BinaryReader(new MemoryStream(payload));
            for (int i = 0; i < raw.Draws.Length; i++) raw.Draws[i] = r.ReadDouble();
            for (int i = 0; i < rows; i++)
            {
                raw.Accept[i] = r.ReadDouble(); raw.StepSize[i] = r.ReadDouble(); raw.Energy[i] = r.ReadDouble(); raw.Lp[i] = r.ReadDouble();
                raw.TreeDepth[i] = r.ReadInt32(); raw.Steps[i] = r.ReadInt32(); raw.Divergent[i] = r.ReadBoolean();
            }
            foreach (var a in raw.Adaptation)
            {
                a.StepSize = r.ReadDouble();
                a.WarmupDivergences = r.ReadInt32();
                int m = r.ReadInt32();
                if (m < 0 || (long)m * 8 > r.BaseStream.Length - r.BaseStream.Position) throw new FormatException($"a metric of {m} entries overruns the payload");
                var inverse = new double[m];
                for (int k = 0; k < m; k++) inverse[k] = r.ReadDouble();
                a.InverseMetric = inverse;
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw new FormatException($"{r.BaseStream.Length - r.BaseStream.Position} bytes left after the chains");
            return new McmcState(result, h.GetProperty("description").GetString() ?? "")
            {
                DriftVersion = h.GetProperty("drift").GetString() ?? "",
                Source = source,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or EndOfStreamException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"'{source}' has a valid checksum but unreadable contents ({e.Message}).");
        }
    }
}
