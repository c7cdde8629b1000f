using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public sealed class TextModelCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("drift-text-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example(string name) => RepositoryPath("examples", "models", name);

    private string Write(string text)
    {
        string path = Path.Combine(_directory, "model.drift");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Simulate_ou_file_with_param_and_x0_overrides_matches_the_exact_law()
    {
        var (code, output, error) = Run("simulate", Example("ou.drift"), "--paths", "40000", "--steps", "100", "--t1", "1",
            "--param", "mu=2", "--param", "theta=1.5", "--x0", "0", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("sra1", doc.RootElement.GetProperty("solver").GetString());
        var x = doc.RootElement.GetProperty("components")[0];
        double mean = x.GetProperty("mean").GetDouble(), se = x.GetProperty("stderr").GetDouble();
        double exact = 2 * (1 - Math.Exp(-1.5));
        Assert.True(Math.Abs(mean - exact) < 4.5 * se, $"mean {mean} ± {se}, exact {exact}");
        Assert.Contains("ou.drift", error);
    }

    [Theory]
    [InlineData("gbm.drift", "milstein")]
    [InlineData("lorenz.drift", "euler")]
    [InlineData("correlated.drift", "euler")]
    public void Every_example_model_simulates(string file, string solver)
    {
        var (code, output, error) = Run("simulate", Example(file), "--paths", "2000", "--steps", "200", "--solver", solver, "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Lyapunov_of_the_lorenz_file_without_noise_gives_the_published_exponent()
    {
        var (code, output, error) = Run("lyapunov", Example("lorenz.drift"), "--param", "eps=0", "--time", "100", "--json", "--no-progress");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        double max = doc.RootElement.GetProperty("maximal").GetDouble();
        Assert.True(Math.Abs(max - 0.9056) < 0.03, $"λ1 = {max}");
    }

    [Fact]
    public void Models_describes_a_file()
    {
        var (code, output, _) = Run("models", Example("correlated.drift"));
        Assert.Equal(0, code);
        Assert.Contains("general, 2 Brownian motions", output);
        Assert.Contains("rho = -0.5", output);
    }

    [Theory]
    [InlineData("state x = 1\ndx = -x*dt + sigm*dW1\n", 2, 14, "unknown name 'sigm'")]
    [InlineData("param a = 1\nstate x = 1\ndx = (a - x*dt\n", 3, 15, "expected ')'")]
    [InlineData("state x = 1\ndx = x*dW1\n", 2, 1, "has no dt term")]
    public void Malformed_file_prints_file_line_column_and_exits_2(string text, int line, int column, string reason)
    {
        string path = Write(text);
        foreach (string command in new[] { "simulate", "lyapunov" })
        {
            var (code, output, error) = Run(command, path, "--paths", "10");
            Assert.Equal(2, code);
            Assert.Equal("", output);
            string message = error.TrimEnd();
            Assert.Single(message.Split('\n'));
            Assert.StartsWith($"drift: {path}:{line}:{column}: ", message, StringComparison.Ordinal);
            Assert.Contains(reason, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Missing_file_unknown_parameter_and_wrong_x0_exit_2_with_one_line()
    {
        string ok = Write("param k = 1\nstate x = 1\ndx = -k*x*dt + 0.1*dW1\n");
        foreach (var args in new[]
        {
            new[] { "simulate", Path.Combine(_directory, "absent.drift") },
            new[] { "simulate", ok, "--param", "q=1" },
            new[] { "simulate", ok, "--x0", "1,2" },
            new[] { "lyapunov", ok, "--param", "k=nan" },
        })
        {
            var (code, _, error) = Run(args);
            Assert.Equal(2, code);
            Assert.Single(error.TrimEnd().Split('\n'));
        }
    }
}
