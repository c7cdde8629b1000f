using Drift.IO;

namespace Drift.Cli.Arguments;

/// <summary>Checks every output path of a command before it computes anything (see <see cref="AtomicFile.CheckTarget"/>).</summary>
internal static class OutputPaths
{
    /// <summary>
    /// Refuses, as a usage error, any given path that is an existing directory (links followed) or whose directory
    /// does not exist; <c>null</c> entries (options not given) are skipped, <c>-</c> (standard output) is accepted.
    /// </summary>
    public static void Check(params string?[] files)
    {
        foreach (string? file in files)
        {
            if (file is null) continue;
            try { AtomicFile.CheckTarget(file); }
            catch (IOException e) { throw new UsageException(e.Message); }
        }
    }
}
