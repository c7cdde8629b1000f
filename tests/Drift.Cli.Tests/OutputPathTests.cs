using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// Issue 18, output paths: an existing directory given as an output is refused before the run (exit 2, one line
/// naming it), and a character device given as an output is written, never replaced.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-outpaths-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    /// <summary>
    /// Each command with an output option, given a directory there. The sizes would take minutes if the run
    /// started, so a quick exit 2 with empty stdout shows that the check came first.
    /// </summary>
    [Fact]
    public void Directory_as_output_is_refused_before_the_run()
    {
        string model = Path.Combine(_dir, "model.rxn");
        File.WriteAllText(model, "species A = 0\n0 -> A, 10\nA -> 0, 1\n");
        string a = Path.Combine(_dir, "a.csv");
        File.WriteAllText(a, "x,y\n0,0\n1,1\n");
        string[][] runs =
        [
            ["simulate", "gbm", "--paths", "100000000", "--steps", "1000", "--output", Dir("stats.csv"), "--no-progress"],
            ["simulate", "gbm", "--paths", "100000000", "--steps", "1000", "--output-paths", Dir("paths.csv"), "--no-progress"],
            ["simulate", "gbm", "--paths", "100000000", "--steps", "1000", "--plot", Dir("plot.png"), "--no-progress"],
            ["solve", "lorenz63", "--t1", "1e9", "--output", Dir("traj.csv")],
            ["ssa", model, "--runs", "100000000", "--t1", "1000", "--output", Dir("ssa.csv")],
            ["mcmc", "banana", "--draws", "100000000", "--quiet", "--output", Dir("draws.csv")],
            ["mcmc", "banana", "--draws", "100000000", "--quiet", "--plot", Dir("trace.png")],
            ["ot", a, a, "--plan", Dir("plan.csv")],
            ["diffuse", "sample", "--target", "ring8", "--n", "10000000", "--output", Dir("samples.csv")],
            ["diffuse", "train", "--data", "two-moons", "--steps", "1000000", "--checkpoint", Dir("ck.bin")],
        ];
        foreach (var args in runs)
        {
            var (code, output, error) = Run(args);
            string line = string.Join(' ', args);
            Assert.True(code == 2, $"{line}: exit {code}: {error}");
            Assert.Contains("is a directory", error, StringComparison.Ordinal);
            Assert.Contains(args[^1] == "--no-progress" || args[^1] == "--quiet" ? args[^2] : args[^1], error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.Equal("", output);
        }
    }

    [Fact]
    public void Device_as_output_is_written_not_replaced()
    {
        var (code, _, error) = Run("simulate", "gbm", "--paths", "64", "--steps", "4", "--output", "/dev/null", "--no-progress");
        Assert.True(code == 0, error);
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }
}
