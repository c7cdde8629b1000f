using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Drift.IO;

namespace Drift.Cli.Runs;

/// <summary>
/// One run of the tool as the provenance record and <c>--verbose</c> describe it: the command line (and run file), every
/// option the command read with its given value or documented default, the seed and threads, the machine, the start
/// and end times, the exit code and the output files with their SHA-256.
/// </summary>
internal sealed class Invocation
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private List<ResolvedOption> _options = [];
    private IReadOnlyList<string> _outputs = [];

    /// <summary>Starts the record of a run of <paramref name="commandLine"/>.</summary>
    public Invocation(string[] commandLine)
    {
        CommandLine = commandLine;
        Arguments = commandLine;
        Started = DateTime.UtcNow;
    }

    /// <summary>The arguments as typed (after <c>drift</c>).</summary>
    public string[] CommandLine { get; }

    /// <summary>The arguments the command ran with (global options removed, a run file expanded).</summary>
    public string[] Arguments { get; set; }

    /// <summary>The run file, for <c>drift run</c>.</summary>
    public RunFile? Spec { get; set; }

    /// <summary>UTC start time.</summary>
    public DateTime Started { get; }

    /// <summary>UTC end time.</summary>
    public DateTime Ended { get; private set; }

    /// <summary>The exit code.</summary>
    public int ExitCode { get; private set; }

    /// <summary>An option the command read: its value as given or the default its declaration states (null when it states none).</summary>
    private sealed record ResolvedOption(string Name, bool IsFlag, IReadOnlyList<string> Values, bool Given);

    /// <summary>Records the end of the run.</summary>
    public void Finish(int exitCode, RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Ended = DateTime.UtcNow;
        ExitCode = exitCode;
        _outputs = context.Outputs;
        _options = [];
        foreach (var reader in context.Readers)
            foreach (var (name, isFlag, given) in reader.OptionsRead())
            {
                if (name == "help" || _options.Exists(o => o.Name == name)) continue;
                // The default the command's declaration states (the one its help prints); none for a reader without one.
                string? @default = reader.DefaultOf(name);
                _options.Add(given.Count > 0
                    ? new ResolvedOption(name, isFlag, given, true)
                    : new ResolvedOption(name, isFlag, isFlag ? ["false"] : @default is { } d ? [d] : [], false));
            }
    }

    /// <summary>The seed the run used: given, or the documented default; null when the command takes none.</summary>
    public ulong? Seed => _options.Find(o => o.Name == "seed") is { Values: [var s] }
        && ulong.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : null;

    /// <summary>Worker threads: given, or one per core when left at its default (0); null when the command takes no --threads.</summary>
    public int? Threads => _options.Find(o => o.Name == "threads") is { } t
        ? t.Given && int.TryParse(t.Values[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : Environment.ProcessorCount
        : null;

    /// <summary>The command's words: <c>simulate</c>, or <c>diffuse train</c> for a command with subcommands.</summary>
    private string[] CommandWords() => Arguments switch
    {
        ["diffuse", var sub, ..] when !sub.StartsWith('-') => ["diffuse", sub],
        [var command, ..] => [command],
        _ => [],
    };

    /// <summary>The Drift version (informational, without the commit).</summary>
    public static string Version
    {
        get
        {
            string v = Informational();
            int plus = v.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? v : v[..plus];
        }
    }

    /// <summary>
    /// The git commit the tool was built from: the SDK appends it to the informational version ("0.1.0+SHA") when the
    /// build ran in a git checkout (SourceLink's repository detection); "unknown" otherwise.
    /// </summary>
    public static string Commit
    {
        get
        {
            string v = Informational();
            int plus = v.IndexOf('+', StringComparison.Ordinal);
            string sha = plus < 0 ? "" : v[(plus + 1)..];
            return sha.Length >= 7 && sha.All(char.IsAsciiHexDigit) ? sha : "unknown";
        }
    }

    private static string Informational() =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The lines <c>--verbose</c> adds: every option with its value or default, and the run's times.</summary>
    public void WriteVerbose(TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        foreach (var o in _options)
        {
            string value = o.Values.Count == 0 ? "not set" : string.Join(", ", o.Values);
            stderr.WriteLine($"drift: option --{o.Name} = {value} ({(o.Given ? "given" : "default")})");
        }
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drift: started {Started:yyyy-MM-ddTHH:mm:ss.fffZ}, ended {Ended:yyyy-MM-ddTHH:mm:ss.fffZ}, {_clock.Elapsed.TotalSeconds:F3} s, exit {ExitCode}"));
    }

    /// <summary>Writes the provenance record to <paramref name="file"/> atomically.</summary>
    public void WriteProvenance(string file) => AtomicFile.WriteBinary(file, stream =>
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("provenanceVersion", 1);
        w.WriteStartObject("drift");
        w.WriteString("version", Version);
        w.WriteString("commit", Commit);
        w.WriteEndObject();
        w.WriteString("command", string.Join(' ', CommandWords()));
        WriteStrings(w, "commandLine", CommandLine);
        WriteStrings(w, "arguments", Arguments);
        if (Spec is not null) w.WriteString("runFile", Path.GetFullPath(Spec.Path));
        w.WriteString("workingDirectory", Environment.CurrentDirectory);
        w.WriteStartObject("options");
        foreach (var o in _options)
        {
            w.WriteStartObject(o.Name);
            if (o.IsFlag) w.WriteBoolean("value", o.Given);
            else if (o.Values.Count == 0) w.WriteNull("value");
            else if (o.Values.Count == 1) w.WriteString("value", o.Values[0]);
            else WriteStrings(w, "value", o.Values);
            w.WriteString("source", o.Given ? "given" : "default");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (Seed is { } seed) w.WriteNumber("seed", seed); else w.WriteNull("seed");
        if (Threads is { } threads) w.WriteNumber("threads", threads); else w.WriteNull("threads");
        w.WriteStartObject("machine");
        w.WriteString("os", RuntimeInformation.OSDescription);
        w.WriteString("architecture", RuntimeInformation.OSArchitecture.ToString());
        w.WriteNumber("cpus", Environment.ProcessorCount);
        w.WriteString("dotnet", RuntimeInformation.FrameworkDescription);
        w.WriteEndObject();
        w.WriteString("started", Started.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("ended", Ended.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("seconds", _clock.Elapsed.TotalSeconds);
        w.WriteNumber("exitCode", ExitCode);
        w.WriteStartArray("outputs");
        foreach (string path in _outputs)
        {
            var info = new FileInfo(path);
            if (!info.Exists) continue;
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteNumber("bytes", info.Length);
            // A FIFO or device reports length 0 and may block when read: hash only non-empty files (the empty hash is a constant).
            if (info.Length == 0) w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)));
            else using (var s = info.OpenRead()) w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(s)));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
