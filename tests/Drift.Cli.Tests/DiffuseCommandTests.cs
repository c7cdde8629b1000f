using System.Globalization;
using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class DiffuseCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-diffuse").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Sampling_a_standard_mixture_writes_csv_and_reports_metrics_at_the_noise_floor()
    {
        string csv = Path.Combine(_dir, "samples.csv");
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--sampler", "dpmpp-2m", "--steps", "20", "--n", "2000",
            "--seed", "4", "--output", csv, "--json");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("x0,x1", lines[0]);
        Assert.Equal(2001, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(2, l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Count()));
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(20, r.GetProperty("nfe").GetInt32());
        Assert.Equal(0, r.GetProperty("failedSamples").GetInt32());
        // Sliced W2 within 1.6× the exact-vs-exact floor; each mode mass within 5 binomial standard errors.
        Assert.True(r.GetProperty("slicedW2").GetDouble() < 1.6 * r.GetProperty("noiseFloor").GetDouble(), output);
        var masses = r.GetProperty("modeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var weights = r.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int k = 0; k < 3; k++) Assert.InRange(masses[k] - weights[k], -5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 2000), 5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 2000));
    }

    [Theory]
    [InlineData("[[0.3, 0.1], [0.1, 0.2]]")]
    [InlineData("[0.3, 0.1, 0.1, 0.2]")]
    [InlineData("[0.3, 0.2]")]
    [InlineData("0.25")]
    public void A_json_mixture_file_is_sampled_with_every_covariance_form(string covariance)
    {
        string file = Path.Combine(_dir, "m.json");
        File.WriteAllText(file, $$"""{"weights": [3, 1], "means": [[-2, 0], [2, 1]], "covariances": [{{covariance}}, {{covariance}}]}""");
        var (code, output, err) = Run("diffuse", "sample", "--target", "gmm:" + file, "--schedule", "edm", "--sampler", "ode-tsit5",
            "--n", "1500", "--json");
        Assert.True(code == 0, err);
        var r = JsonDocument.Parse(output).RootElement;
        var masses = r.GetProperty("modeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(masses[0], 0.75 - 5 * Math.Sqrt(0.1875 / 1500), 0.75 + 5 * Math.Sqrt(0.1875 / 1500));
        var means = r.GetProperty("means").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var exact = r.GetProperty("exactMeans").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var se = r.GetProperty("meanStandardErrors").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < 2; j++) Assert.InRange(means[j] - exact[j], -5 * se[j], 5 * se[j]);
        Assert.True(r.GetProperty("nfe").GetInt32() > 10);
    }

    [Fact]
    public void Pfgmpp_samples_a_mixture_from_the_d_kernel_with_its_exact_denoiser()
    {
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--schedule", "edm", "--sampler", "pfgmpp", "--pfgm-d", "16",
            "--grid", "karras", "--steps", "18", "--n", "1000", "--seed", "3", "--json");
        Assert.True(code == 0, err);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal("pfgmpp", r.GetProperty("sampler").GetString());
        Assert.Equal(36, r.GetProperty("nfe").GetInt32());
        // The plumbing is checked here (the sampler's accuracy is proved in PfgmppTests): mode masses within 5 binomial SE.
        var masses = r.GetProperty("modeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var weights = r.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int k = 0; k < 3; k++) Assert.InRange(masses[k] - weights[k], -5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 1000), 5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 1000));
        Assert.Contains("pfgmpp", Run("diffuse", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("--pfgm-d", Run("diffuse", "--help").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sampler", "pfgmpp", "--schedule", "edm")]
    [InlineData("--sampler", "pfgmpp", "--pfgm-d", "4")]
    [InlineData("--sampler", "pfgmpp", "--pfgm-d", "0.5", "--schedule", "edm")]
    [InlineData("--sampler", "heun", "--pfgm-d", "4")]
    public void Pfgmpp_options_are_checked(params string[] options)
    {
        var (code, _, err) = Run(["diffuse", "sample", "--target", "ring8", "--n", "10", .. options]);
        Assert.Equal(2, code);
        Assert.Contains("pfgm", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Denoising_mcmc_runs_from_the_shell_with_its_knobs()
    {
        // 40 chains × 10 rounds on skewed2d: NFE per output = skip 3 + (2·2 − 1) = 6, setup 2·8 − 1 + 10 = 25 per chain,
        // 8.5 amortised. The sampler's accuracy is proved in DenoisingMcmcTests; here the plumbing: counts, mode masses
        // within 5 binomial SE, the knobs reaching the sampler (--skip 5 raises the NFE per output by 2).
        string csv = Path.Combine(_dir, "dmcmc.csv");
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--sampler", "dmcmc", "--n", "400", "--chains", "40",
            "--seed", "3", "--output", csv, "--json");
        Assert.True(code == 0, err);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal("dmcmc", r.GetProperty("sampler").GetString());
        Assert.Equal("edm", r.GetProperty("schedule").GetString());
        Assert.Equal(10, r.GetProperty("rounds").GetInt32());
        Assert.Equal(8.5, r.GetProperty("nfePerOutput").GetDouble(), 1e-12);
        Assert.Equal(401, File.ReadAllLines(csv).Length);
        var masses = r.GetProperty("modeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var weights = r.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int k = 0; k < 3; k++) Assert.InRange(masses[k] - weights[k], -5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 400), 5 * Math.Sqrt(weights[k] * (1 - weights[k]) / 400));
        var (code2, output2, err2) = Run("diffuse", "sample", "--target", "skewed2d", "--sampler", "dmcmc", "--n", "40", "--chains", "20",
            "--skip", "5", "--langevin-step", "0.02", "--levels", "32", "--burn-in", "4", "--init-steps", "4", "--denoise-steps", "3", "--json");
        Assert.True(code2 == 0, err2);
        var r2 = JsonDocument.Parse(output2).RootElement;
        Assert.Equal(5 + 5 + (2 * 4 - 1 + 4) / 2.0, r2.GetProperty("nfePerOutput").GetDouble(), 1e-12);
        string help = Run("diffuse", "--help").Out;
        foreach (string option in new[] { "dmcmc", "--chains", "--langevin-step", "--skip", "--burn-in", "--init-steps", "--denoise-steps", "--levels", "--sigma-low" })
            Assert.Contains(option, help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--schedule", "vp")]
    [InlineData("--steps", "10")]
    [InlineData("--chains", "50")]
    [InlineData("--sigma-low", "6")]
    [InlineData("--steer", "fkc-anneal")]
    public void Denoising_mcmc_options_are_checked(params string[] options)
    {
        var (code, _, err) = Run(["diffuse", "sample", "--target", "skewed2d", "--sampler", "dmcmc", "--n", "20", .. options]);
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(err));
    }

    [Fact]
    public void A_plot_of_generated_against_exact_samples_is_written_as_png()
    {
        string png = Path.Combine(_dir, "ring.png");
        var (code, _, _) = Run("diffuse", "sample", "--target", "ring8", "--steps", "10", "--n", "800", "--plot", png);
        Assert.Equal(0, code);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"a {bytes.Length}-byte PNG is too small to hold two panels");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        Assert.Equal(2, Run("diffuse", "sample", "--target", "ring8", "--plot", Path.Combine(_dir, "ring.jpg")).Code);
    }

    [Fact]
    public void The_text_report_is_a_table_of_the_metrics()
    {
        var (code, output, _) = Run("diffuse", "sample", "--target", "ring8", "--schedule", "ve", "--sampler", "heun", "--steps", "15", "--n", "500");
        Assert.Equal(0, code);
        Assert.Contains("sliced W2", output, StringComparison.Ordinal);
        Assert.Contains("noise floor", output, StringComparison.Ordinal);
        Assert.Contains("component 7", output, StringComparison.Ordinal);
        Assert.Contains("NFE 30", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diffuse")]
    [InlineData("diffuse", "run", "--target", "ring8")]
    [InlineData("diffuse", "sample")]
    [InlineData("diffuse", "sample", "--target", "ring9")]
    [InlineData("diffuse", "sample", "--target", "ring8", "--sampler", "euler")]
    [InlineData("diffuse", "sample", "--target", "ring8", "--schedule", "mr")]
    [InlineData("diffuse", "sample", "--target", "ring8", "--grid", "cubic")]
    [InlineData("diffuse", "sample", "--target", "ring8", "--steps", "0")]
    [InlineData("diffuse", "sample", "--target", "ring8", "--bogus", "1")]
    [InlineData("diffuse", "sample", "--target", "gmm:/no/such/file.json")]
    public void Bad_input_exits_2_with_a_one_line_reason(params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("drift: ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"means\": [[0, 0]], \"covariances\": [[1, 2, 3]]}", "covariance")]
    [InlineData("{\"means\": [[0, 0]]}", "covariances")]
    [InlineData("{\"means\": [[0, 0]], \"covariances\": [1], ", "invalid JSON")]
    [InlineData("{\"means\": [[0, 0], [1]], \"covariances\": [1, 1]}", "same number")]
    [InlineData("{\"means\": [[0, 0]], \"covariances\": [[[1, 2], [2, 1]]]}", "eigenvalue")]
    public void A_malformed_mixture_file_is_rejected_with_its_reason(string json, string reason)
    {
        string file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, json);
        var (code, _, err) = Run("diffuse", "sample", "--target", "gmm:" + file);
        Assert.Equal(2, code);
        Assert.Contains(reason, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void No_partial_output_file_is_left_when_the_input_is_bad()
    {
        string csv = Path.Combine(_dir, "out.csv");
        var (code, _, _) = Run("diffuse", "sample", "--target", "ring8", "--sampler", "nope", "--output", csv);
        Assert.Equal(2, code);
        Assert.False(File.Exists(csv));
    }
}
