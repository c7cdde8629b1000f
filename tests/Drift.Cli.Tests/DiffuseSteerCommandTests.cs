using System.Globalization;
using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class DiffuseSteerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-steer").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Fk_steering_reports_the_ess_trace_log_z_and_lands_on_the_tilted_mixture()
    {
        string csv = Path.Combine(_dir, "steered.csv");
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--steps", "40", "--steer", "fk", "--particles", "1000",
            "--reward", "gauss:1.5,-1.5:1", "--lambda", "1", "--resample", "systematic", "--ess-threshold", "0.5", "--seed", "2",
            "--output", csv, "--json");
        Assert.True(code == 0, err);
        Assert.Equal(1001, File.ReadAllLines(csv).Length);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(41, r.GetProperty("essTrace").GetArrayLength());
        Assert.Equal(41, r.GetProperty("nfe").GetInt32());
        Assert.True(r.GetProperty("resamplings").GetInt32() > 0);
        // Exact tilted mode masses 0.016/0.303/0.680 (plain sampling gives 0.6/0.3/0.1); a single run of 1000
        // particles lands within 0.1 of each, and log Ẑ within 0.5 of the closed form −2.919.
        var masses = r.GetProperty("modeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var exact = r.GetProperty("exactModeMasses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(0.6804, exact[2], 1e-3);
        for (int k = 0; k < 3; k++) Assert.InRange(masses[k] - exact[k], -0.1, 0.1);
        Assert.InRange(r.GetProperty("logZ").GetDouble() - r.GetProperty("exactLogZ").GetDouble(), -0.5, 0.5);
    }

    [Theory]
    [InlineData("--reward", "gauss:1.5:1")]
    [InlineData("--reward", "quadratic:1,1:1")]
    [InlineData("--ess-threshold", "1.5")]
    [InlineData("--resample", "bogus")]
    [InlineData("--potential", "bogus")]
    [InlineData("--sampler", "ddim")]
    public void Bad_steering_options_are_usage_errors(string option, string value)
    {
        var args = new List<string> { "diffuse", "sample", "--target", "skewed2d", "--steer", "fk", "--steps", "5", "--particles", "10" };
        if (option != "--reward") args.AddRange(["--reward", "gauss:0,0:1"]);
        args.AddRange([option, value]);
        var (code, _, err) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains("drift:", err);
    }
}
