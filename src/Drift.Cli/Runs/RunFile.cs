using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Drift.Cli.Arguments;
using Drift.IO;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Drift.Cli.Runs;

/// <summary>
/// A command described in a file, for <c>drift run SPEC.toml|SPEC.json</c>: <c>command</c> (a string such as
/// <c>"simulate"</c> or <c>"diffuse sample"</c>, or an array of words), <c>positional</c> (an array of positional words)
/// and a table <c>options</c> whose keys are option names without the dashes. A value becomes <c>--key=value</c>
/// (numbers in invariant culture, round-trip), <c>true</c> a flag, <c>false</c> leaves the flag off, and an array repeats
/// the option once per element (<c>param = ["sigma=0.3", "rho=28"]</c>). Other top-level keys are refused; option keys
/// are checked by the command itself, as typed options are, and an error about an option names the file, the key and its
/// line. TOML is read by Tomlyn's syntax parser (line numbers from its tree), JSON by System.Text.Json.
/// </summary>
internal sealed partial class RunFile
{
    private readonly List<(string Key, int Line)> _keys = [];

    private RunFile(string path) => Path = path;

    /// <summary>The file as given on the command line.</summary>
    public string Path { get; }

    /// <summary>The command line the file describes (without <c>drift</c>).</summary>
    public string[] Arguments { get; private set; } = [];

    /// <summary>Reads <c>run SPEC</c>.</summary>
    /// <exception cref="UsageException">No file, more than one, an unknown extension, or a file that does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid TOML/JSON or not a run description (the message names the file and line).</exception>
    public static RunFile Load(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException("usage: drift run SPEC.toml|SPEC.json (one file; global options such as --provenance may follow).");
        string path = args[1];
        if (Directory.Exists(path)) throw new UsageException($"run file '{Echo.Cut(path)}' is a directory.");
        if (!File.Exists(path)) throw new UsageException($"run file '{Echo.Cut(path)}' does not exist.");
        var spec = new RunFile(path);
        string text = File.ReadAllText(path);
        var (command, positional, options) = path.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) ? spec.ParseToml(text)
            : path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? spec.ParseJson(text)
            : throw new UsageException($"run file '{Echo.Cut(path)}' must end in .toml or .json.");
        if (command.Count == 0) throw spec.Fault("it names no command: add command = \"simulate\" (or another command)", null);
        var arguments = new List<string>(command);
        arguments.AddRange(positional);
        foreach (var (key, value, _) in options)
        {
            if (value is bool flag)
            {
                if (flag) arguments.Add("--" + key);
            }
            else arguments.Add($"--{key}={value}");
        }
        spec.Arguments = [.. arguments];
        return spec;
    }

    /// <summary>
    /// <paramref name="message"/> with " (FILE line N, key 'K')" appended when it names an option (<c>--K</c>) that this
    /// file set; null when it names none.
    /// </summary>
    public string? Locate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (key, line) in _keys)
            if (Regex.IsMatch(message, $"--{Regex.Escape(key)}(?![A-Za-z0-9-])", RegexOptions.None, TimeSpan.FromSeconds(1)))
                return $"{message.TrimEnd('.')} ({Path} line {line}, key '{key}').";
        return null;
    }

    private InvalidDataException Fault(string reason, int? line) =>
        new(line is { } l ? $"run file '{Path}' line {l}: {reason}." : $"run file '{Path}': {reason}.");

    private (List<string> Command, List<string> Positional, List<(string Key, object Value, int Line)> Options) ParseToml(string text)
    {
        var document = SyntaxParser.Parse(text, Path);
        if (document.HasErrors)
        {
            var first = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw Fault($"not valid TOML: {first.Message}", first.Span.Start.Line + 1);
        }
        List<string> command = [], positional = [];
        var options = new List<(string, object, int)>();
        foreach (var kv in document.KeyValues)
        {
            int line = kv.Span.Start.Line + 1;
            string key = KeyName(kv.Key, line);
            switch (key)
            {
                case "command": command = Words(TomlScalars(kv.Value, key, line), key, line); break;
                case "positional": positional = [.. TomlScalars(kv.Value, key, line).Select(v => Text(v))]; break;
                default: throw Fault($"unknown key '{Echo.Cut(key)}': a run file has command, positional and a table [options]", line);
            }
        }
        foreach (var table in document.Tables)
        {
            int line = table.Span.Start.Line + 1;
            string name = table.Name is null ? "" : KeyName(table.Name, line);
            if (table is not TableSyntax || name != "options") throw Fault($"unknown table '{Echo.Cut(name)}': the one table is [options]", line);
            foreach (var item in table.Items)
            {
                if (item is not KeyValueSyntax kv) continue;
                int at = kv.Span.Start.Line + 1;
                string key = KeyName(kv.Key, at);
                _keys.Add((key, at));
                foreach (var v in TomlScalars(kv.Value, key, at)) options.Add((key, v is bool ? v : Text(v), at));
            }
        }
        return (command, positional, options);
    }

    private string KeyName(KeySyntax? key, int line)
    {
        if (key is null) throw Fault("a key is missing", line);
        if (key.DotKeys.ChildrenCount > 0) throw Fault("dotted keys are not used in run files", line);
        return key.Key switch
        {
            BareKeySyntax bare => bare.Key?.Text ?? "",
            StringValueSyntax s => s.Value ?? "",
            _ => throw Fault("a key is neither a bare nor a quoted name", line),
        };
    }

    /// <summary>A scalar value, or the elements of an array of scalars.</summary>
    private List<object> TomlScalars(ValueSyntax? value, string key, int line) => value switch
    {
        ArraySyntax array => [.. array.Items.Select(item => TomlScalar(item.Value, key, line))],
        _ => [TomlScalar(value, key, line)],
    };

    private object TomlScalar(ValueSyntax? value, string key, int line) => value switch
    {
        StringValueSyntax s => s.Value ?? "",
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f => f.Value,
        BooleanValueSyntax b => b.Value,
        _ => throw Fault($"key '{Echo.Cut(key)}' must be a string, number, boolean or an array of them", line),
    };

    private (List<string> Command, List<string> Positional, List<(string Key, object Value, int Line)> Options) ParseJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Fault($"not valid JSON: {FirstSentence(e.Message)}", (int?)(e.LineNumber + 1));
        }
        using (document)
        {
            var lines = JsonLines(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fault("the top level must be an object", 1);
            List<string> command = [], positional = [];
            var options = new List<(string, object, int)>();
            foreach (var property in root.EnumerateObject())
            {
                int line = lines.GetValueOrDefault(("", property.Name), 1);
                switch (property.Name)
                {
                    case "command": command = Words(JsonScalars(property.Value, property.Name, line), property.Name, line); break;
                    case "positional": positional = [.. JsonScalars(property.Value, property.Name, line).Select(v => Text(v))]; break;
                    case "options":
                        if (property.Value.ValueKind != JsonValueKind.Object) throw Fault("\"options\" must be an object", line);
                        foreach (var option in property.Value.EnumerateObject())
                        {
                            int at = lines.GetValueOrDefault(("options", option.Name), line);
                            _keys.Add((option.Name, at));
                            foreach (var v in JsonScalars(option.Value, option.Name, at)) options.Add((option.Name, v is bool ? v : Text(v), at));
                        }
                        break;
                    default: throw Fault($"unknown key '{Echo.Cut(property.Name)}': a run file has command, positional and options", line);
                }
            }
            return (command, positional, options);
        }
    }

    private List<object> JsonScalars(JsonElement value, string key, int line) => value.ValueKind == JsonValueKind.Array
        ? [.. value.EnumerateArray().Select(e => JsonScalar(e, key, line))]
        : [JsonScalar(value, key, line)];

    private object JsonScalar(JsonElement value, string key, int line) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fault($"key '{Echo.Cut(key)}' must be a string, number, boolean or an array of them", line),
    };

    /// <summary>The 1-based line of every property name at the top level ("", name) and inside "options" ("options", name).</summary>
    private static Dictionary<(string, string), int> JsonLines(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new Dictionary<(string, string), int>();
        string top = "";
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            string name = reader.GetString()!;
            int line = 1 + bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n');
            if (reader.CurrentDepth == 1)
            {
                top = name;
                lines.TryAdd(("", name), line);
            }
            else if (reader.CurrentDepth == 2 && top == "options") lines.TryAdd(("options", name), line);
        }
        return lines;
    }

    private List<string> Words(List<object> values, string key, int line)
    {
        var words = values.SelectMany(v => Text(v).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (words.Count == 0) throw Fault($"'{key}' is empty", line);
        return words;
    }

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (i < 0 ? message : message[..i]).TrimEnd('.');
    }
}
