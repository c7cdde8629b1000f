using System.Globalization;
using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift mcmc MODEL.drift --sampler smc</c>: log evidence against a closed form, weighted draws to CSV, errors.</summary>
public class McmcSmcCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-mcmc-smc-").FullName;

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

    [Fact]
    public void Smc_reports_the_log_evidence_of_a_conjugate_model_within_four_standard_errors()
    {
        string model = Write("normal.drift", "data y: vector[4]\nparam mu\nmu ~ normal(0, 2)\ny ~ normal(mu, 1)\n");
        string data = Write("normal.json", """{"y": [0.5, 1.5, 1.0, 2.0]}""");
        string csv = Path.Combine(_dir, "particles.csv");
        var (code, output, _) = Run("mcmc", model, "--data", data, "--sampler", "smc", "--chains", "6", "--draws", "200", "--seed", "3", "--quiet", "--json", "--output", csv);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        double logZ = json.RootElement.GetProperty("log_evidence").GetDouble(), se = json.RootElement.GetProperty("log_evidence_se").GetDouble();
        // y ~ N(0, I + 4·𝟙𝟙ᵀ): log Z = −2 log 2π − ½ log(1 + 4·4) − ½ (yᵀy − 4 (Σy)²/(1 + 16)).
        double[] y = [0.5, 1.5, 1.0, 2.0];
        double truth = -2 * Math.Log(2 * Math.PI) - 0.5 * Math.Log(17) - 0.5 * (y.Sum(v => v * v) - 4 * y.Sum() * y.Sum() / 17);
        Assert.True(se > 0 && se < 0.1, $"standard error {se}");
        Assert.True(Math.Abs(logZ - truth) < 4 * se, $"log Z {logZ} ± {se} vs {truth}");
        var mu = json.RootElement.GetProperty("parameters")[0];
        Assert.Equal("mu", mu.GetProperty("name").GetString());
        Assert.True(Math.Abs(mu.GetProperty("mean").GetDouble() - 4 * y.Sum() / 17) < 0.05); // posterior mean s²Σy/(1 + Ns²), sd 0.49
        // --output: the particles after systematic resampling, through the MCMC writer (chain = run, draw = particle).
        var lines = File.ReadAllLines(csv);
        Assert.Equal("chain,draw,mu,accept_stat,stepsize,treedepth,n_leapfrog,divergent,energy,lp", lines[0]);
        Assert.Equal(6 * 200, lines.Length - 1);
        Assert.StartsWith("6,200,", lines[^1], StringComparison.Ordinal);
        var draws = lines.Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        // The resampled draws estimate the posterior N(4Σy/17, 4/17): mean within 4 standard errors of 1200 equally weighted
        // draws (resampling duplicates particles, so the error is larger than sd/√1200; 0.1 is over 7 of those).
        Assert.True(Math.Abs(draws.Average() - 4 * y.Sum() / 17) < 0.1, $"resampled mean {draws.Average()}");
        Assert.InRange(draws.Select(v => v * v).Average() - draws.Average() * draws.Average(), 4.0 / 17 * 0.8, 4.0 / 17 * 1.25);

        string parquet = Path.Combine(_dir, "particles.parquet"), png = Path.Combine(_dir, "particles.png");
        Assert.Equal(0, Run("mcmc", model, "--data", data, "--sampler", "smc", "--chains", "2", "--draws", "100", "--seed", "3", "--quiet", "--output", parquet, "--plot", png).Code);
        Assert.True(new FileInfo(parquet).Length > 0);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }

    [Theory]
    [InlineData("--sampler smc needs a MODEL.drift file", "gaussian")]
    [InlineData("model.drift:2:7: parameter 'mu' has no prior statement", "MODEL")]
    public void Smc_errors_say_what_is_wrong(string expected, string target, params string[] extra)
    {
        string model = Write("model.drift", "data y: vector[2]\nparam mu\ny ~ normal(mu, 1)\n");
        string data = Write("d.json", """{"y": [1, 2]}""");
        string[] args = target == "MODEL" ? ["mcmc", model, "--data", data, "--sampler", "smc", .. extra] : ["mcmc", target, "--sampler", "smc", .. extra];
        var (code, _, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
