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
}
