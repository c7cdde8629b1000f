using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Ensembles;

namespace Drift.Cli.Merge;

/// <summary>
/// <c>--shard i/N</c> and <c>--state FILE</c> of an ensemble command: which shard of the run to compute, and where to
/// write its mergeable statistics (<see cref="EnsembleState"/>) for <c>drift merge</c>.
/// </summary>
/// <param name="Shard">The shard (0/1 when only <c>--state</c> was given), or null for a plain run.</param>
/// <param name="StateFile">Where to write the state, or null.</param>
public sealed record ShardArguments(Shard? Shard, string? StateFile)
{
    /// <summary>The declarations of <c>--shard i/N</c> and <c>--state FILE</c>, described for the command that takes them.</summary>
    internal static IReadOnlyList<OptionSpec> Options(string shard, string state) =>
    [
        OptionSpec.Text("shard", "i/N", "run only shard i of N: " + shard),
        OptionSpec.File("state", "FILE", state),
    ];

    /// <summary>Reads <c>--shard</c> and <c>--state</c>.</summary>
    /// <exception cref="UsageException">The shard is not i/N with 0 ≤ i &lt; N ≤ paths.</exception>
    public static ShardArguments Read(ArgumentReader a, long paths)
    {
        ArgumentNullException.ThrowIfNull(a);
        string? text = a.String("shard");
        string? state = a.String("state");
        Shard? shard = null;
        if (text is not null)
        {
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                throw new UsageException($"--shard expects i/N with whole numbers (e.g. 3/16), got '{text}'.");
            if (n < 1 || i >= n) throw new UsageException($"--shard i/N needs 0 <= i < N, got '{text}'.");
            if (n > paths) throw new UsageException($"--shard {text}: {n} shards of {paths} paths would leave a shard empty.");
            shard = new Shard(i, n);
        }
        else if (state is not null) shard = Ensembles.Shard.Whole;
        return new ShardArguments(shard, state);
    }

    /// <summary>
    /// The run's description stored in the state (every shard of a run must produce the same): the command, model,
    /// components, solver, end time, steps and the resolved parameters and initial state. <c>drift merge</c> reads it back.
    /// </summary>
    public static string Describe(string command, string model, string[] components, string solver, double t1, int steps,
        IEnumerable<KeyValuePair<string, double>> parameters, double[] x0, string save)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("command", command);
            w.WriteString("model", model);
            w.WriteStartArray("components");
            foreach (string c in components) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteString("solver", solver);
            w.WriteNumber("t1", t1);
            w.WriteNumber("steps", steps);
            w.WriteStartObject("parameters");
            foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(name, value);
            w.WriteEndObject();
            w.WriteStartArray("x0");
            foreach (double v in x0) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteString("save", save);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the solution's state with the run's description, and names the file on stderr.</summary>
    /// <exception cref="UsageException">The solve produced no state (a model whose scheme does not record one).</exception>
    public void Write(EnsembleSolution solution, string description, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (StateFile is null) return;
        var state = (solution.State ?? throw new UsageException("this model's solve records no shard state; --state needs a fixed-step ensemble.")).WithDescription(description);
        Write(state.ShardIndex, state.ShardCount, $"paths {state.FirstPath}..{state.EndPath - 1} of {state.RunPaths}", state.ToBytes, stderr);
    }

    /// <summary>
    /// Writes a state file of any kind (its bytes from <paramref name="bytes"/>, through <see cref="Output.OutputFile"/>: atomic,
    /// refused after an interrupt) when <c>--state</c> was given, and names it on stderr with what the shard covers.
    /// </summary>
    public void Write(int index, int count, string covers, Func<byte[]> bytes, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(stderr);
        if (StateFile is null) return;
        byte[] content = bytes();
        Output.OutputFile.WriteBinary(StateFile, s => s.Write(content));
        stderr.WriteLine($"drift: wrote shard {index}/{count} ({covers}) to {StateFile}");
    }

    /// <summary>A run description as canonical JSON: the command and its result-changing settings, in the order given.</summary>
    public static string Describe(string command, params (string Name, object? Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("command", command);
            foreach (var (name, value) in settings)
            {
                w.WritePropertyName(name);
                JsonSerializer.Serialize(w, value, value?.GetType() ?? typeof(object));
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// A run's arguments in a canonical order (command, positional arguments, then the given options sorted by name as
    /// --name=value), without --shard, --state, --threads, --json, --help and <paramref name="skip"/> (options that do
    /// not change the numbers): equal for every shard of one run, and what <c>drift merge</c> reruns.
    /// </summary>
    public static string[] Canonical(string command, IEnumerable<string> positional, ArgumentReader a, params string[] skip)
    {
        ArgumentNullException.ThrowIfNull(a);
        var words = new List<string> { command };
        words.AddRange(positional);
        foreach (var (name, isFlag, given) in a.OptionsRead().OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            if (given.Count == 0 || name is "shard" or "state" or "threads" or "json" or "help" || skip.Contains(name)) continue;
            words.Add(isFlag ? $"--{name}" : $"--{name}={given[^1]}");
        }
        return [.. words];
    }

    /// <summary>The SHA-256 of a file's bytes (hex), so that shards of one run are checked to read the same model or data.</summary>
    public static string Hash(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
