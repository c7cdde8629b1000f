using System.Diagnostics;
using System.Text;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18, "hangs and floods": a huge model file parses in linear time, and huge names are not echoed.</summary>
public sealed class NewUserFloodTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-flood").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_model_file_of_100000_param_lines_parses_and_runs_in_seconds()
    {
        // Binding searched lists of names: 20 000 lines took seconds, 100 000 about a minute, 430 000 far more (quadratic).
        var text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) text.Append("param p").Append(i).Append(" = 1.5\n");
        text.Append("state x = 1\ndx = -p99999*x*dt + 0.1*dW1\n");
        string path = Path.Combine(_dir, "many.drift");
        File.WriteAllText(path, text.ToString());
        var clock = Stopwatch.StartNew();
        var (code, _, error) = Run("simulate", path, "--paths", "2", "--steps", "2", "--param", "p5=2", "--no-progress");
        Assert.True(code == 0, error);
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("state x = {0}\ndx = -x*dt + dW1\n")]
    [InlineData("state x = 1\ndx = -{0}*dt + dW1\n")]
    [InlineData("state x = 1\nd{0} = -x*dt + dW1\n")]
    [InlineData("param {0} = 1\nparam {0} = 1\nstate x = 1\ndx = -x*dt + dW1\n")]
    [InlineData("state x = 1\ndx = -{0}(x)*dt + dW1\n")]
    public void A_2_MB_name_in_a_model_is_cut_in_the_message(string template)
    {
        string name = new('a', 2_000_000);
        string path = Path.Combine(_dir, "long.drift");
        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, name));
        var (code, _, error) = Run("simulate", path, "--paths", "1", "--steps", "1");
        Assert.Equal(2, code);
        Assert.True(error.Length < 1000, $"{error.Length} characters");
        Assert.Contains(new string('a', 50), error);
        Assert.Contains("…", error);
    }

    [Theory]
    [InlineData("simulate", "{0}")]
    [InlineData("simulate", "gbm", "--solver", "{0}")]
    [InlineData("simulate", "gbm", "--{0}", "1")]
    [InlineData("simulate", "gbm", "--paths", "{0}")]
    [InlineData("lyapunov", "{0}")]
    [InlineData("price", "{0}")]
    [InlineData("ot", "{0}", "{0}")]
    public void A_2_MB_argument_is_cut_in_the_message(params string[] template)
    {
        string name = new('b', 2_000_000);
        var (code, _, error) = Run([.. template.Select(t => t.Replace("{0}", name, StringComparison.Ordinal))]);
        Assert.Equal(2, code);
        Assert.True(error.Length < 1000, $"{error.Length} characters");
        Assert.Contains("…", error);
    }
}
