using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift mcmc MODEL.drift --data FILE</c>: names, constrained draws, --check-gradient and errors.</summary>
public class McmcModelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-mcmc-model-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples", "mcmc"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "examples", "mcmc", name);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_logistic_example_samples_from_csv_data_with_draws_named_and_constrained()
    {
        string csv = Path.Combine(_dir, "draws.csv");
        var (code, output, _) = Run("mcmc", Example("logistic.drift"), "--data", Example("logistic.csv"), "--chains", "2", "--warmup", "100", "--draws", "100",
            "--seed", "5", "--quiet", "--json", "--output", csv);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var names = json.RootElement.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "beta[3]", "s"], names);
        var lines = File.ReadAllLines(csv);
        Assert.StartsWith("chain,draw,alpha,beta[1],beta[2],beta[3],s,", lines[0], StringComparison.Ordinal);
        int s = Array.IndexOf(lines[0].Split(','), "s");
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l.Split(',')[s], System.Globalization.CultureInfo.InvariantCulture) > 0, "s is reported on its constrained (positive) scale"));
    }

    [Fact]
    public void Check_gradient_reports_the_worst_component_by_name_at_each_initial_point()
    {
        var (code, output, _) = Run("mcmc", Example("eight_schools.drift"), "--data", Example("eight_schools.json"), "--check-gradient", "--chains", "3");
        Assert.Equal(0, code);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("chain ", StringComparison.Ordinal)));
        Assert.Contains("gradient check passed", output, StringComparison.Ordinal);
        Assert.Matches(@"in (mu|tau|eta\[[1-8]\]) \(chain", output);
    }

    [Theory]
    [InlineData("model.drift:3:16: unknown name 'sigmaa'", "data y: vector[2]\nparam mu\ny ~ normal(mu, sigmaa)", """{"y": [1, 2]}""")]
    [InlineData("model.drift:1:6: data 'y' is declared vector[3] = vector[3] but", "data y: vector[3]\nparam mu\ny ~ normal(mu, 1)", """{"y": [1, 2]}""")]
    [InlineData("model.drift:1:6: data 'y' is not in", "data y: vector[2]\nparam mu\ny ~ normal(mu, 1)", """{"x": [1, 2]}""")]
    [InlineData("data.json: 'y' element 2 is a string", "data y: vector[2]\nparam mu\ny ~ normal(mu, 1)", """{"y": [1, "2"]}""")]
    [InlineData("s = ", "param s > 0\ntarget += log(-s)", null)]
    [InlineData("declares data (y); give them with --data", "data y: vector[2]\nparam mu\ny ~ normal(mu, 1)", null)]
    public void Bad_models_and_data_exit_non_zero_with_one_line_reason(string reason, string model, string? data)
    {
        string modelPath = Write("model.drift", model);
        string[] args = data is null
            ? ["mcmc", modelPath, "--chains", "1", "--warmup", "10", "--draws", "10", "--quiet"]
            : ["mcmc", modelPath, "--data", Write("data.json", data), "--chains", "1", "--warmup", "10", "--draws", "10", "--quiet"];
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(reason, err.Replace(_dir + Path.DirectorySeparatorChar, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
