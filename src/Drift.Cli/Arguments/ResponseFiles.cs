using System.CommandLine;
using System.CommandLine.Parsing;

namespace Drift.Cli.Arguments;

/// <summary>
/// Response files: a word <c>@FILE</c> anywhere on the command line is replaced by the words of FILE, as
/// System.CommandLine reads them (whitespace-separated, one or more per line; a line starting with <c>#</c> is a
/// comment; files may name further response files). Expanded once, before the global options and the command are read,
/// so a response file may hold the command itself (<c>drift @run.rsp</c>) and global options.
/// </summary>
internal static class ResponseFiles
{
    /// <summary>The arguments with every <c>@FILE</c> replaced by its words; the arguments themselves when none is given.</summary>
    /// <exception cref="UsageException">A response file that does not exist or cannot be read.</exception>
    public static string[] Expand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!args.Any(a => a.Length > 1 && a[0] == '@')) return args;
        // A command with no options and one catch-all argument: its tokens are the words after expansion, in order ('--' kept).
        var command = new Command("drift") { new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore } };
        var result = command.Parse(args);
        if (result.Errors.Count > 0) throw new UsageException(result.Errors[0].Message);
        return [.. result.Tokens.Select(t => t.Value)];
    }
}
