using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using Drift.IO;

namespace Drift.Cli.Arguments;

/// <summary>
/// A command's whole option model, declared once: its words (<c>simulate</c>, <c>diffuse train</c>), usage lines,
/// options and closing notes. <see cref="Parse"/> builds a System.CommandLine <see cref="Command"/> from it and hands the
/// command body an <see cref="ArgumentReader"/> over the parse; <see cref="Help"/> renders the help text from the same
/// declaration (so help, docs/cli.md, completion and provenance defaults cannot drift from the parser).
/// </summary>
/// <param name="Words">The command's words after <c>drift</c>.</param>
/// <param name="Usage">The usage line(s) that open the help text, with the positional words explained.</param>
/// <param name="Options">The options, in the order the help lists them.</param>
internal sealed record CommandSpec(string[] Words, string Usage, IReadOnlyList<OptionSpec> Options)
{
    /// <summary>Width of the option column of the help text (its descriptions start at column 2 + this).</summary>
    private const int Column = 21;

    /// <summary>The help flag every command takes (<c>--help</c>, <c>-h</c>); not listed in the help text itself.</summary>
    private static readonly OptionSpec HelpOption = OptionSpec.Flag("help", "print this help");

    /// <summary>Paragraphs printed after the options (semantics, formulas, exit codes), or null.</summary>
    public string? Notes { get; init; }

    /// <summary>Candidates for the positional words in shell completion (model names, subcommands), or null for none.</summary>
    public Func<IEnumerable<string>>? Positional { get; init; }

    /// <summary>
    /// What the command does, in one line: the top-level help lists it after the <see cref="Synopsis"/>. Null for a word
    /// that only groups subcommands (<c>diffuse</c>), which the top-level help leaves out.
    /// </summary>
    public string? Summary { get; init; }

    /// <summary>
    /// The command line the top-level help shows: the first line of <see cref="Usage"/> without its <c>usage: drift</c>
    /// and without the explanation after a run of spaces (<c>simulate [MODEL] [options]</c>).
    /// </summary>
    public string Synopsis
    {
        get
        {
            string line = Usage.TrimStart().Split('\n')[0].Trim();
            const string Lead = "usage: drift ";
            if (line.StartsWith(Lead, StringComparison.Ordinal)) line = line[Lead.Length..];
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            return gap < 0 ? line : line[..gap];
        }
    }

    /// <summary>The command as typed: <c>diffuse train</c>.</summary>
    public string Name => string.Join(' ', Words);

    /// <summary>The declared option called <paramref name="name"/> (the help flag included), or null.</summary>
    public OptionSpec? Find(string name) => name == HelpOption.Name ? HelpOption : Options.FirstOrDefault(o => o.Name == name);

    /// <summary>
    /// The help text: the usage, then one row per option (<c>--name METAVAR</c>, its description, its choices and its
    /// default), section headings where a group starts, then the notes.
    /// </summary>
    public string Help()
    {
        var text = new StringBuilder();
        text.Append(Usage.TrimEnd()).Append("\n\n");
        foreach (var o in Options)
        {
            if (o.Section is { } section) text.Append(section).Append('\n');
            string head = o.Metavariable is { } v ? $"--{o.Name} {v}" : $"--{o.Name}";
            var lines = o.Description.Split('\n').ToList();
            if (o.Kind == ValueKind.Choice && o.Choices.Count > 0 && o.Metavariable != string.Join('|', o.Choices))
                lines[^1] += (lines[^1].Length == 0 ? "" : ": ") + string.Join(", ", o.Choices);
            if (o.Default is { } d) lines[^1] += $" (default {d})";
            text.Append("  ").Append(head.Length <= Column - 2 ? head.PadRight(Column) : head + "  ").Append(lines[0].TrimEnd()).Append('\n');
            foreach (string line in lines.Skip(1)) text.Append(new string(' ', 2 + Column)).Append(line.TrimEnd()).Append('\n');
        }
        if (Notes is { } notes) text.Append(notes.TrimEnd()).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Parses a command's arguments (those after its words) with System.CommandLine: <c>--name value</c>,
    /// <c>--name=value</c>, flags, positional words, and <c>--</c> ending the options. The last value of an option wins
    /// unless it is <see cref="OptionSpec.Repeatable"/>. Response files were expanded before (<see cref="ResponseFiles"/>).
    /// </summary>
    /// <exception cref="UsageException">An option without its value, a flag given a value, or a value outside the choices of an
    /// option whose choices the parser checks (<see cref="OptionSpec.ParserChecksChoices"/>) (unknown options are refused by <see cref="ArgumentReader.RejectUnknown"/>).</exception>
    public ArgumentReader Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int end = Array.IndexOf(args, "--");
        foreach (string a in end < 0 ? args : args[..end])
        {
            // System.CommandLine reads "--json=x" as the flag and a positional x; the tool has always refused it.
            if (a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq
                && Find(a[2..eq]) is { IsFlag: true })
                throw new UsageException($"option --{Echo.Cut(a[2..eq])} takes no value.");
        }
        // Not a word anyone types (System.CommandLine would take a word equal to the command's name for the command).
        var command = new Command("drift:" + string.Join(':', Words));
        var options = new List<(OptionSpec Spec, Option Option)>();
        foreach (var spec in Options.Append(HelpOption))
        {
            Option option = spec.IsFlag
                ? new Option<bool>("--" + spec.Name) { Arity = ArgumentArity.Zero }
                : new Option<string[]>("--" + spec.Name) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
            if (spec == HelpOption) option.Aliases.Add("-h");
            if (spec.ParserChecksChoices)
            {
                // The value the command reads (the last, or each of a repeatable option) must be one of the declared choices.
                var choice = spec;
                option.Validators.Add(r =>
                {
                    foreach (var token in choice.Repeatable ? r.Tokens : r.Tokens.TakeLast(1))
                        if (!choice.Choices.Contains(token.Value, StringComparer.Ordinal)) { r.AddError(choice.UnknownChoice(token.Value)); return; }
                });
            }
            command.Add(option);
            options.Add((spec, option));
        }
        var words = new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore };
        command.Add(words);
        var result = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        foreach (var error in result.Errors)
        {
            if (error.SymbolResult is OptionResult { Option: var o, Tokens.Count: 0 } && o.Name.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"option {Echo.Cut(o.Name)} needs a value.");
            throw new UsageException(error.Message);
        }
        // Unknown options land among the positional words: those before '--' that look like options are kept apart and
        // refused by ArgumentReader.RejectUnknown, after the command has read its model (as the hand parser did).
        bool ended = false;
        var given = result.GetResult(words)?.Tokens ?? [];
        var unknown = new List<string>();
        var positional = new List<string>();
        bool valueOfUnknown = false;
        foreach (var token in result.Tokens)
        {
            bool wasValue = valueOfUnknown;
            valueOfUnknown = false;
            if (token.Type == TokenType.DoubleDash) ended = true;
            else if (!given.Any(t => ReferenceEquals(t, token))) continue;
            else if (!ended && LooksLikeOption(token.Value))
            {
                int eq = token.Value.IndexOf('=', StringComparison.Ordinal);
                unknown.Add(eq < 0 ? token.Value : token.Value[..eq]);
                // "--typo 3": the word after an unknown option is taken for its value, not for a positional word.
                valueOfUnknown = eq < 0;
            }
            else if (!wasValue) positional.Add(token.Value);
        }
        var values = new Dictionary<string, List<string>>();
        var flags = new HashSet<string>();
        foreach (var (spec, option) in options)
        {
            if (result.GetResult(option) is not { Implicit: false } r) continue;
            if (spec.IsFlag) flags.Add(spec.Name);
            else values[spec.Name] = [.. r.Tokens.Select(t => t.Value)];
        }
        return new ArgumentReader(this, values, flags, positional, unknown);
    }

    /// <summary>An option-like word: <c>--name</c> or a single dash and a letter (<c>-x</c>); not <c>-</c>, <c>-1</c> or <c>-.5</c>.</summary>
    private static bool LooksLikeOption(string word) =>
        (word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2) || (word.Length > 1 && word[0] == '-' && char.IsAsciiLetter(word[1]));
}
