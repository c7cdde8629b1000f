using Parquet;
using Parquet.Schema;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class McmcCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-mcmc-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Nuts_on_the_banana_writes_summary_json_csv_parquet_and_trace_plot()
    {
        string csv = Path.Combine(_dir, "draws.csv"), parquet = Path.Combine(_dir, "draws.parquet"), png = Path.Combine(_dir, "trace.png");
        var (code, output, err) = Run("mcmc", "banana", "--chains", "2", "--warmup", "200", "--draws", "150", "--seed", "3", "--json", "--output", csv, "--plot", png);
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var parameters = doc.RootElement.GetProperty("parameters");
        Assert.Equal("theta[1]", parameters[0].GetProperty("name").GetString());
        foreach (var key in new[] { "mean", "sd", "q5", "median", "q95", "mcse_mean", "mcse_q5", "mcse_q95", "ess_bulk", "ess_tail", "rhat" })
            Assert.True(parameters[1].TryGetProperty(key, out _), key);
        Assert.Contains("chain 1:", err, StringComparison.Ordinal);

        var lines = File.ReadAllLines(csv);
        Assert.Equal("chain,draw,theta[1],theta[2],accept_stat,stepsize,treedepth,n_leapfrog,divergent,energy,lp", lines[0]);
        Assert.Equal(1 + 2 * 150, lines.Length);
        Assert.StartsWith("2,150,", lines[^1], StringComparison.Ordinal);

        Assert.Equal(0, Run("mcmc", "banana", "--chains", "2", "--warmup", "200", "--draws", "150", "--seed", "3", "--quiet", "--output", parquet).Code);
        var (names, theta1) = ReadParquet(parquet);
        Assert.Equal(["chain", "draw", "theta[1]", "theta[2]", "accept_stat", "stepsize", "treedepth", "n_leapfrog", "divergent", "energy", "lp"], names);
        // Same seed, same draws: the Parquet column equals the CSV column.
        Assert.Equal(double.Parse(lines[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), theta1[0]);

        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G');
    }

    private static (string[] Names, double[] Theta1) ReadParquet(string path)
    {
        return Task.Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.DataFields;
            using var group = reader.OpenRowGroupReader(0);
            var theta = new double[group.RowCount];
            await group.ReadAsync<double>(fields[2], theta);
            return (fields.Select(f => f.Name).ToArray(), theta);
        }).GetAwaiter().GetResult();
    }

    [Fact]
    public void Summary_table_and_divergence_warning_for_the_funnel()
    {
        var (code, output, err) = Run("mcmc", "funnel", "--dim", "6", "--chains", "2", "--warmup", "150", "--draws", "150", "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("ess_bulk", output, StringComparison.Ordinal);
        Assert.Contains("\nv ", output, StringComparison.Ordinal);
        Assert.Contains("warning:", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("obabo")]
    [InlineData("ghmc")]
    [InlineData("ubu")]
    [InlineData("maubu")]
    public void Underdamped_langevin_samplers_run_by_name(string sampler)
    {
        var (code, output, _) = Run("mcmc", "gaussian", "--dim", "2", "--sampler", sampler, "--friction", "2", "--chains", "2", "--warmup", "100", "--draws", "100", "--quiet", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("x[1]", doc.RootElement.GetProperty("parameters")[0].GetProperty("name").GetString());
        var (help, text, _) = Run("mcmc", "--help");
        Assert.Equal(0, help);
        Assert.Contains(sampler, text, StringComparison.Ordinal);
        Assert.Contains("--friction", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--friction", "mcmc", "gaussian", "--sampler", "ghmc", "--friction", "0")]
    [InlineData("unknown target", "mcmc", "cube")]
    [InlineData("--sampler", "mcmc", "gaussian", "--sampler", "gibbs")]
    [InlineData("--adapt-delta", "mcmc", "gaussian", "--adapt-delta", "1.5")]
    [InlineData(".csv, .parquet or .npy", "mcmc", "gaussian", "--output", "x.txt")]
    [InlineData("use --sampler cbo", "mcmc", "rastrigin")]
    [InlineData("--sampler cbo prints the minimiser only", "mcmc", "ackley", "--sampler", "cbo", "--plot", "x.png")]
    public void Bad_input_exits_non_zero_with_one_line_reason(string reason, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(reason, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    /// <summary>
    /// <c>--sampler cbo</c>: Rastrigin in d = 3 shifted to 1.5 (minimum 0 there; local minima near every shifted integer
    /// point, f = 1 at the nearest ones) must end within 0.05 of the minimiser with f below 0.05, and the banana's mode
    /// (θ₁ = 0, θ₂ = b(0 − s²) = −3, where −log π is smallest) must be found by minimising −log π. About 0.5 s of CPU
    /// each (1500 steps of 100 particles; the banana stops at its tolerance after about 1900 steps).
    /// </summary>
    [Fact]
    public void Cbo_finds_the_minimiser_of_a_shifted_rastrigin_and_the_mode_of_the_banana()
    {
        var (code, output, err) = Run("mcmc", "rastrigin", "--sampler", "cbo", "--dim", "3", "--shift", "1.5", "--particles", "100", "--alpha", "1e5",
            "--sigma", "5", "--iterations", "1500", "--seed", "2", "--json");
        Assert.True(code == 0, err);
        using (var doc = System.Text.Json.JsonDocument.Parse(output))
        {
            var p = doc.RootElement.GetProperty("parameters");
            Assert.Equal(3, p.GetArrayLength());
            foreach (var x in p.EnumerateArray()) Assert.InRange(x.GetProperty("minimiser").GetDouble(), 1.45, 1.55);
            Assert.InRange(doc.RootElement.GetProperty("value").GetDouble(), 0, 0.05);
        }
        (code, output, err) = Run("mcmc", "banana", "--sampler", "cbo", "--particles", "200", "--alpha", "1e4", "--sigma", "1", "--seed", "1");
        Assert.True(code == 0, err);
        Assert.Contains("CBO (anisotropic noise)", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.StartsWith("theta[", StringComparison.Ordinal)).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, rows.Length);
        // −log π rises only by θ₁²/200 along θ₁ (θ₁ ~ N(0, 10²)), so θ₁ is found to within a few tenths (0.10 at this seed).
        Assert.InRange(rows[0], -0.5, 0.5);
        Assert.InRange(rows[1], -3.1, -2.9);
    }
}
