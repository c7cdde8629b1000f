using Drift.Cli.Arguments;

namespace Drift.Cli.Runs;

/// <summary>
/// The options every command takes, handled once by <see cref="CliApp"/> and removed from the arguments before the
/// command sees them: <c>--quiet</c>, <c>--verbose</c> and <c>--provenance FILE.json</c> (also <c>--provenance=FILE.json</c>).
/// </summary>
/// <param name="Arguments">The arguments without the global options.</param>
/// <param name="Quiet">Nothing on stderr but errors.</param>
/// <param name="Verbose">Also every option with its value or default, and the run's times.</param>
/// <param name="Provenance">Where to write the provenance record, or null.</param>
internal sealed record GlobalOptions(string[] Arguments, bool Quiet, bool Verbose, string? Provenance)
{
    /// <summary>The declarations of the global options, as the help, docs/cli.md and shell completion list them.</summary>
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        OptionSpec.Flag("quiet", "nothing on stderr but errors (and the reason of a failing exit code)"),
        OptionSpec.Flag("verbose", "also print every option with its value or default, and the run's times"),
        OptionSpec.File("provenance", "FILE.json", "write a record of the run: version, commit, command line, resolved options,\n"
            + "seed, threads, machine, start/end times, exit code, output files with SHA-256"),
    ];

    /// <summary>Splits the global options off <paramref name="args"/>; those in <paramref name="outer"/> (the command line) win over a run file's.</summary>
    /// <exception cref="UsageException">--provenance without a value, or --quiet with --verbose.</exception>
    public static GlobalOptions Extract(string[] args, GlobalOptions? outer = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rest = new List<string>(args.Length);
        bool quiet = outer?.Quiet ?? false, verbose = outer?.Verbose ?? false;
        string? provenance = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                // '--' ends the options: what follows is the command's, word for word.
                rest.AddRange(args[i..]);
                break;
            }
            if (a == "--quiet") quiet = true;
            else if (a == "--verbose") verbose = true;
            else if (a.StartsWith("--provenance=", StringComparison.Ordinal)) provenance = a["--provenance=".Length..];
            else if (a == "--provenance")
            {
                if (i + 1 >= args.Length) throw new UsageException("option --provenance needs a value (FILE.json).");
                provenance = args[++i];
            }
            else rest.Add(a);
        }
        if (rest is ["mcmc", ..] && quiet && !(outer?.Quiet ?? false))
        {
            // mcmc had --quiet before it was global ("no progress on stderr", warnings kept): it keeps that meaning.
            rest.Add("--quiet");
            quiet = false;
        }
        if (quiet && verbose) throw new UsageException("give --quiet or --verbose, not both.");
        if (provenance is { Length: 0 }) throw new UsageException("option --provenance needs a file name.");
        return new GlobalOptions([.. rest], quiet, verbose, outer?.Provenance ?? provenance);
    }
}
