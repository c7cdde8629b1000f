using System.Globalization;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift mcmc MODEL.drift --sampler sgld|sghmc --batch B</c>: minibatch SG-MCMC on a density model.</summary>
public class McmcSgmcmcCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-mcmc-sg-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("sgld")]
    [InlineData("sghmc")]
    public void Minibatch_sampling_of_a_conjugate_mean_finds_the_posterior_mean(string sampler)
    {
        // y_i ~ N(mu, 1), mu ~ N(0, 10²), 40 observations with mean 1.5: posterior N(≈1.4996, 0.158²).
        var y = Enumerable.Range(0, 40).Select(i => 1.5 + Math.Sin(2.3 * i)).ToArray();
        double ybar = y.Average();
        double precision = 1 / 100.0 + y.Length, mean = y.Sum() / precision;
        string model = Write("mean.drift", "data N: int\ndata y: vector[N]\nparam mu\nmu ~ normal(0, 10)\ny ~ normal(mu, 1)\n");
        string data = Write("mean.json", $"{{\"N\": {y.Length}, \"y\": [{string.Join(", ", y.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]}}");
        var (code, output, error) = Run("mcmc", model, "--data", data, "--sampler", sampler, "--batch", "10", "--step-size", "0.004", "--friction", "10",
            "--chains", "2", "--warmup", "200", "--draws", "800", "--seed", "2", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("batch 10 of 40 (likelihood x 4)", output, StringComparison.Ordinal);
        var row = output.Split('\n').Single(l => l.StartsWith("mu ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double estimate = double.Parse(row[1], CultureInfo.InvariantCulture), mcse = double.Parse(row[6], CultureInfo.InvariantCulture);
        // The minibatch gradient is unbiased and the model linear, so the mean is exact up to Monte Carlo error.
        Assert.True(Math.Abs(estimate - mean) < 4 * mcse + 0.01, $"{sampler}: E mu {estimate} ± {mcse} vs {mean} (ybar {ybar})");
    }

    [Fact]
    public void Sgld_on_a_built_in_target_says_it_needs_a_model()
    {
        var (code, _, error) = Run("mcmc", "gaussian", "--sampler", "sgld");
        Assert.NotEqual(0, code);
        Assert.Contains("--sampler sgld needs a MODEL.drift file", error, StringComparison.Ordinal);
    }
}
