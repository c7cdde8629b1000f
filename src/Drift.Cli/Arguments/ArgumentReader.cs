using Drift.IO;
using System.Globalization;
using System.Numerics;

namespace Drift.Cli.Arguments;

/// <summary>
/// The options and positional words of one command, with typed accessors whose errors name the option and the bad
/// value. A command declares its options in a <see cref="CommandSpec"/>, which parses the arguments (System.CommandLine)
/// and builds the reader; the reader then refuses to read an option the declaration lacks (a programming error, so the
/// declaration, and with it the help text, always covers what the command reads). The public constructor is the older
/// hand parser of <c>--name value</c>, <c>--name=value</c> and <c>--flag</c>, without a declaration.
/// </summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, List<string>> _options = [];
    private readonly HashSet<string> _flags = [];
    private readonly HashSet<string> _used = [];
    private readonly List<string> _readOrder = [];
    private readonly IReadOnlySet<string> _flagNames;
    private readonly CommandSpec? _spec;
    private readonly IReadOnlyList<string> _unknown = [];

    /// <summary>Positional words in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> names the options that take no value.</summary>
    public ArgumentReader(string[] args, IReadOnlySet<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(flags);
        _flagNames = flags;
        Runs.RunContext.Current?.Attach(this);
        var positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                positional.Add(a);
                continue;
            }
            string name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (flags.Contains(name))
            {
                if (value is not null) throw new UsageException($"option --{Echo.Cut(name)} takes no value.");
                _flags.Add(name);
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= args.Length) throw new UsageException($"option --{Echo.Cut(name)} needs a value.");
                value = args[++i];
            }
            if (!_options.TryGetValue(name, out var list)) _options[name] = list = [];
            list.Add(value);
        }
        Positional = positional;
    }

    /// <summary>A reader over a parse of <paramref name="spec"/>'s options (<see cref="CommandSpec.Parse"/>).</summary>
    internal ArgumentReader(CommandSpec spec, Dictionary<string, List<string>> options, HashSet<string> flags, IReadOnlyList<string> positional,
        IReadOnlyList<string> unknown)
    {
        _spec = spec;
        _unknown = unknown;
        _options = options;
        _flags = flags;
        _flagNames = spec.Options.Where(o => o.IsFlag).Select(o => o.Name).Append("help").ToHashSet();
        Positional = positional;
        Runs.RunContext.Current?.Attach(this);
    }

    /// <summary>The declaration this reader was parsed from, or null for the hand parser.</summary>
    internal CommandSpec? Spec => _spec;

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string name)
    {
        Use(name, flag: true);
        return _flags.Contains(name);
    }

    /// <summary>The last value of an option, or null.</summary>
    public string? String(string name)
    {
        Use(name, flag: false);
        return _options.TryGetValue(name, out var v) ? v[^1] : null;
    }

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> All(string name)
    {
        Use(name, flag: false);
        return _options.TryGetValue(name, out var v) ? v : [];
    }

    /// <summary>An integer option within [min, max], or null when absent.</summary>
    public long? Integer(string name, long min, long max)
    {
        string? s = String(name);
        if (s is null) return null;
        if (!long.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            && !TryScientificInteger(s, out v))
        {
            if (IsWholeNumber(s)) throw new UsageException($"--{name} must lie in [{min}, {max}], got {Echo.Cut(s)}.");
            throw new UsageException($"--{name} expects an integer, got '{Echo.Cut(s)}'.");
        }
        if (v < min || v > max) throw new UsageException($"--{name} must lie in [{min}, {max}], got {v}.");
        return v;
    }

    /// <summary>A 64-bit seed in [0, 2⁶⁴ − 1], or null when absent.</summary>
    public ulong? Seed(string name = "seed")
    {
        string? s = String(name);
        if (s is null) return null;
        if (ulong.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
        if (IsWholeNumber(s))
            throw new UsageException($"--{name} {Echo.Cut(s)} is out of range for a 64-bit seed: give an integer in [0, {ulong.MaxValue}].");
        throw new UsageException($"--{name} expects an integer in [0, {ulong.MaxValue}], got '{Echo.Cut(s)}'.");
    }

    /// <summary>A finite real option that must be positive (&gt; 0), or null when absent.</summary>
    public double? Positive(string name)
    {
        double? v = Real(name);
        if (v is <= 0) throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--{name} must be positive, got {v}."));
        return v;
    }

    /// <summary>A finite real option that must be non-negative (≥ 0), or null when absent.</summary>
    public double? NonNegative(string name)
    {
        double? v = Real(name);
        if (v is < 0) throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--{name} must be non-negative, got {v}."));
        return v;
    }

    /// <summary>A finite real option, or null when absent.</summary>
    public double? Real(string name)
    {
        string? s = String(name);
        if (s is null) return null;
        return ParseReal(s, $"--{name}");
    }

    /// <summary>Parses a finite real number or throws a usage error naming <paramref name="what"/>.</summary>
    public static double ParseReal(string s, string what)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UsageException($"{what} expects a finite number, got '{Echo.Cut(s)}'.");
        return v;
    }

    /// <summary>
    /// Every option the command asked for, in the order it first asked: its name, whether it is a flag, and the values
    /// given on the command line (empty when it was left at its default; a given flag has the one value "true").
    /// Provenance records and <c>--verbose</c> list them with their declared defaults (<see cref="DefaultOf"/>).
    /// </summary>
    public IEnumerable<(string Name, bool IsFlag, IReadOnlyList<string> Given)> OptionsRead()
    {
        foreach (string name in _readOrder)
        {
            if (_flagNames.Contains(name)) yield return (name, true, _flags.Contains(name) ? ["true"] : []);
            else yield return (name, false, _options.TryGetValue(name, out var v) ? v : []);
        }
    }

    /// <summary>The default an option's declaration states, or null (none stated, or no declaration).</summary>
    internal string? DefaultOf(string name) => _spec?.Find(name)?.Default;

    /// <exception cref="InvalidOperationException">The command reads an option its declaration lacks, or reads a flag as a value or a value as a flag.</exception>
    private void Use(string name, bool flag)
    {
        if (_spec is not null)
        {
            var declared = _spec.Find(name)
                ?? throw new InvalidOperationException($"'drift {_spec.Name}' reads option --{name}, which its declaration (CommandSpec) lacks.");
            if (declared.IsFlag != flag)
                throw new InvalidOperationException($"'drift {_spec.Name}' reads option --{name} as a {(flag ? "flag" : "value")}, but declares it {(declared.IsFlag ? "a flag" : "with a value")}.");
        }
        if (_used.Add(name)) _readOrder.Add(name);
    }

    /// <summary>
    /// Fails on options given but never read: a typo under the hand parser, and under a declaration an option that does
    /// not apply to this run (e.g. <c>--sigma</c> of <c>drift price heston</c>).
    /// </summary>
    public void RejectUnknown()
    {
        if (_unknown.Count > 0) throw new UsageException($"unknown option {Echo.Cut(_unknown[0])}.");
        foreach (string name in _options.Keys.Concat(_flags))
            if (!_used.Contains(name))
                throw new UsageException(_spec is null || _spec.Find(name) is null
                    ? $"unknown option --{Echo.Cut(name)}."
                    : $"option --{name} does not apply to this run of 'drift {_spec.Name}'; see 'drift {_spec.Name} --help'.");
    }

    /// <summary>Whether <paramref name="s"/> is an integer written in digits (of any size), with an optional sign and '_' separators.</summary>
    private static bool IsWholeNumber(string s) =>
        BigInteger.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static bool TryScientificInteger(string s, out long value)
    {
        value = 0;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d != Math.Floor(d) || Math.Abs(d) > 9e18) return false;
        value = (long)d;
        return true;
    }
}
