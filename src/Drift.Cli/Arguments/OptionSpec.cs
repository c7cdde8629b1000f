using Drift.IO;

namespace Drift.Cli.Arguments;

/// <summary>What an option's value is: it chooses the metavariable of the help text and what shell completion offers.</summary>
internal enum ValueKind
{
    /// <summary>No value: given or not (<c>--json</c>).</summary>
    Flag,
    /// <summary>A whole number (<c>--paths N</c>).</summary>
    Integer,
    /// <summary>A real number (<c>--t1 T</c>).</summary>
    Real,
    /// <summary>Free text (<c>--param NAME=VALUE</c>, <c>--x0 A,B,...</c>).</summary>
    Text,
    /// <summary>A file (completion offers the shell's file names).</summary>
    Path,
    /// <summary>
    /// One of <see cref="OptionSpec.Choices"/>: completion offers them and the parser refuses any other value (exit 2,
    /// naming the option, the value and the choices), unless <see cref="OptionSpec.CheckedByCommand"/> says why the
    /// command checks the value itself.
    /// </summary>
    Choice,
}

/// <summary>
/// One option of a command, declared once: the parser (System.CommandLine), the generated help text, docs/cli.md,
/// shell completion and the defaults of provenance records and <c>--verbose</c> are all built from it.
/// </summary>
/// <param name="Name">The name without dashes (<c>paths</c> for <c>--paths</c>).</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Description">The help text; lines after the first are indented under it.</param>
internal sealed record OptionSpec(string Name, ValueKind Kind, string Description)
{
    /// <summary>The metavariable shown after the name (<c>N</c>, <c>FILE.png</c>); null uses the kind's (none for a flag).</summary>
    public string? Value { get; init; }

    /// <summary>The default as the help text states it (<c>100000</c>, <c>the model's</c>); null when there is none to state.</summary>
    public string? Default { get; init; }

    /// <summary>The values a <see cref="ValueKind.Choice"/> option takes, listed in the help and offered by completion.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>
    /// Null when the parser accepts only <see cref="Choices"/> (spelt exactly); otherwise why the command body checks a
    /// <see cref="ValueKind.Choice"/> value itself (aliases, case-insensitive forms, names that depend on the model), the
    /// choices then being the names completion offers and the help lists, not all the command accepts.
    /// </summary>
    public string? CheckedByCommand { get; init; }

    /// <summary>Whether the parser refuses a value outside <see cref="Choices"/> (a choice option not <see cref="CheckedByCommand"/>).</summary>
    public bool ParserChecksChoices => Kind == ValueKind.Choice && Choices.Count > 0 && CheckedByCommand is null;

    /// <summary>The usage error for <paramref name="value"/> outside <see cref="Choices"/>: the option, the value, the choices.</summary>
    public string UnknownChoice(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string list = Choices.Count switch
        {
            0 => "",
            1 => Choices[0],
            _ => string.Join(", ", Choices.Take(Choices.Count - 1)) + " or " + Choices[^1],
        };
        return $"unknown --{Name} '{Echo.Cut(value)}'; choose {list}.";
    }

    /// <summary>Whether the option may be given more than once, each value kept (<c>--param</c>); otherwise the last wins.</summary>
    public bool Repeatable { get; init; }

    /// <summary>A heading printed before this option in the help text (it starts a group of options), or null.</summary>
    public string? Section { get; init; }

    /// <summary>Whether the option takes no value.</summary>
    public bool IsFlag => Kind == ValueKind.Flag;

    /// <summary>The metavariable the help shows: <see cref="Value"/>, the choices joined by '|' when short, or the kind's.</summary>
    public string? Metavariable => Value ?? Kind switch
    {
        ValueKind.Flag => null,
        ValueKind.Integer => "N",
        ValueKind.Real => "X",
        ValueKind.Path => "FILE",
        ValueKind.Choice => Choices.Count <= 4 ? string.Join('|', Choices) : "NAME",
        _ => "VALUE",
    };

    /// <summary>A flag.</summary>
    public static OptionSpec Flag(string name, string description) => new(name, ValueKind.Flag, description);

    /// <summary>A whole-number option.</summary>
    public static OptionSpec Integer(string name, string description, string? @default = null, string value = "N") =>
        new(name, ValueKind.Integer, description) { Default = @default, Value = value };

    /// <summary>A real-number option.</summary>
    public static OptionSpec Real(string name, string value, string description, string? @default = null) =>
        new(name, ValueKind.Real, description) { Default = @default, Value = value };

    /// <summary>A free-text option.</summary>
    public static OptionSpec Text(string name, string value, string description, string? @default = null) =>
        new(name, ValueKind.Text, description) { Default = @default, Value = value };

    /// <summary>A file option.</summary>
    public static OptionSpec File(string name, string value, string description, string? @default = null) =>
        new(name, ValueKind.Path, description) { Default = @default, Value = value };

    /// <summary>An option with a fixed list of values.</summary>
    public static OptionSpec Choice(string name, string description, string? @default, params string[] choices) =>
        new(name, ValueKind.Choice, description) { Default = @default, Choices = choices };

    /// <summary>The seed option every random command takes, with its default.</summary>
    public static OptionSpec Seed(string @default = "1") =>
        Integer("seed", "seed of all randomness; same seed, same bits, any --threads", @default, "S");

    /// <summary>The worker-thread option, with its default.</summary>
    public static OptionSpec Threads(string @default = "all cores") => Integer("threads", "worker threads", @default);

    /// <summary>The <c>--json</c> flag.</summary>
    public static OptionSpec Json(string what = "print the final statistics as JSON instead of a table") => Flag("json", what);

    /// <summary>The <c>--no-progress</c> flag.</summary>
    public static OptionSpec NoProgress { get; } = Flag("no-progress", "never draw a progress bar on stderr");
}
