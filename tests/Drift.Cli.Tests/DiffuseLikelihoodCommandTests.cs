using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift diffuse likelihood</c>, mean-reverting models, labelled CSV, importance-sampled times and reflow from the shell.</summary>
public sealed class DiffuseLikelihoodCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-likelihood").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainTiny(string name, params string[] extra)
    {
        string ck = Path.Combine(_dir, name + ".safetensors");
        var (code, _, err) = Run([.. new[] { "diffuse", "train", "--n", "2000", "--steps", "20", "--batch", "128", "--width", "16", "--depth", "1",
            "--checkpoint", ck, "--no-progress" }, .. extra]);
        Assert.True(code == 0, err);
        return ck;
    }

    [Fact]
    public void Likelihood_reports_the_nll_its_error_bits_per_dimension_and_the_gap_to_an_exact_mixture()
    {
        string ck = TrainTiny("g", "--data", "gauss2d");
        var (code, output, err) = Run("diffuse", "likelihood", "--model", ck, "--data", "gauss2d", "--n", "100", "--steps", "8", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output))
        {
            var root = doc.RootElement;
            double nll = root.GetProperty("nll").GetDouble(), se = root.GetProperty("standardError").GetDouble();
            Assert.True(double.IsFinite(nll) && se > 0);
            Assert.Equal(nll / (2 * Math.Log(2)), root.GetProperty("bitsPerDimension").GetDouble(), 9);
            Assert.Equal(nll - root.GetProperty("exactNll").GetDouble(), root.GetProperty("gap").GetDouble(), 9);
            Assert.Equal("exact", root.GetProperty("divergence").GetString());
        }
        (code, output, err) = Run("diffuse", "likelihood", "--model", ck, "--data", "gauss2d", "--n", "50", "--steps", "4", "--hutchinson", "2");
        Assert.True(code == 0, err);
        Assert.Contains("bits/dim", output, StringComparison.Ordinal);
        Assert.Contains("Hutchinson, 2", output, StringComparison.Ordinal);
        Assert.Contains("exact mixture", output, StringComparison.Ordinal);

        Assert.Equal(2, Run("diffuse", "likelihood", "--data", "gauss2d").Code);
        Assert.Equal(2, Run("diffuse", "likelihood", "--model", ck).Code);
        Assert.Equal(2, Run("diffuse", "likelihood", "--model", ck, "--data", "mix16", "--n", "10").Code);
        Assert.Equal(2, Run("diffuse", "likelihood", "--model", Path.Combine(_dir, "none.safetensors"), "--data", "gauss2d").Code);
        Assert.Equal(2, Run("diffuse", "likelihood", "--model", ck, "--data", "gauss2d", "--hutchinson", "0").Code);
    }

    [Fact]
    public void A_mean_reverting_model_samples_about_its_reversion_mean_with_the_MR_sampler_only()
    {
        string ck = TrainTiny("mr", "--data", "skewed2d", "--schedule", "mr");
        var (code, output, err) = Run("diffuse", "sample", "--model", ck, "--steps", "10", "--n", "200", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output)) Assert.Equal("mrs-2", doc.RootElement.GetProperty("sampler").GetString());
        Assert.Equal(0, Run("diffuse", "sample", "--model", ck, "--sampler", "mrs-sde", "--steps", "10", "--n", "100").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--sampler", "dpmpp-2m").Code);
        string vp = TrainTiny("vp", "--data", "gauss2d");
        Assert.Equal(2, Run("diffuse", "sample", "--model", vp, "--sampler", "mrs").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--target", "ring8", "--sampler", "mrs").Code);
    }

    [Fact]
    public void Labelled_csv_trains_conditionally_importance_sampling_and_reflow_run_from_the_shell()
    {
        string csv = Path.Combine(_dir, "labelled.csv");
        var lines = new List<string> { "x0,x1,label" };
        for (int i = 0; i < 400; i++) lines.Add(FormattableString.Invariant($"{(i % 2 == 0 ? -2 : 2) + 0.01 * (i % 7)},{0.02 * (i % 11)},{i % 2}"));
        File.WriteAllLines(csv, lines);
        TrainTiny("cond", "--data", csv, "--conditional");
        TrainTiny("is", "--data", "ring8", "--weighting", "likelihood", "--time-sampling", "importance");
        Assert.Equal(2, Run("diffuse", "train", "--data", "ring8", "--objective", "edm", "--time-sampling", "importance", "--checkpoint", "x.safetensors").Code);
        Assert.Equal(2, Run("diffuse", "train", "--data", "ring8", "--time-sampling", "sometimes", "--checkpoint", "x.safetensors").Code);

        string flow = TrainTiny("flow", "--data", "ring8", "--objective", "flow");
        string reflow = TrainTiny("reflow", "--reflow-from", flow, "--objective", "flow", "--reflow-steps", "4");
        var (code, output, err) = Run("diffuse", "sample", "--model", reflow, "--sampler", "ode-rk4", "--steps", "2", "--n", "200", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output)) Assert.True(doc.RootElement.GetProperty("slicedW2").GetDouble() > 0); // reported against ring8
        Assert.Equal(2, Run("diffuse", "train", "--reflow-from", flow, "--data", "ring8", "--checkpoint", "y.safetensors").Code);
        Assert.Equal(2, Run("diffuse", "train", "--reflow-from", Path.Combine(_dir, "none.safetensors"), "--checkpoint", "y.safetensors").Code);
    }
}
