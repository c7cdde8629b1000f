using Drift.Cli;

namespace Drift.Cli.Tests;

/// <summary>Runs the <c>drift</c> tool in-process, as the shell would, and captures its exit code, stdout and stderr.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A path under the repository root (the directory holding Drift.slnx), e.g. an example model.</summary>
    public static string RepositoryPath(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Drift.slnx"))) directory = directory.Parent;
        return Path.Combine([directory!.FullName, .. parts]);
    }
}
