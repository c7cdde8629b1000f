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

    [Fact]
    public void Fk_steering_takes_threads_and_gives_the_same_particles_and_log_z_on_1_and_3()
    {
        string[] Output(string threads, string csv)
        {
            var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--steps", "10", "--steer", "fk", "--particles", "200",
                "--reward", "gauss:1.5,-1.5:1", "--threads", threads, "--seed", "5", "--output", csv, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(int.Parse(threads), doc.RootElement.GetProperty("threads").GetInt32());
            return [.. File.ReadAllLines(csv), doc.RootElement.GetProperty("logZ").GetRawText()];
        }
        Assert.Equal(Output("1", Path.Combine(_dir, "t1.csv")), Output("3", Path.Combine(_dir, "t3.csv")));
    }

    [Fact]
    public void Fkc_integrator_exponential_removes_the_euler_bias_of_log_z_in_annealing()
    {
        // p^2 of gauss2d at 100 steps: the Euler–Maruyama move's discrete model has Z_Δ/Z ≈ 7.6 (closed form,
        // docs/steering.md), the exponential move's ≈ 0.96. Four seeds of 2000 particles each (measured: Euler log Ẑ/Z
        // 1.31, 1.76, 1.61, 1.99; exponential 0.72, −0.68, −0.53, 0.25). The default (no option) is the multistep move,
        // Z_Δ/Z ≈ 1.14: its mean log Ẑ/Z is within ±0.5 too.
        double MeanLogRatio(string? integrator)
        {
            double sum = 0;
            for (int seed = 1; seed <= 4; seed++)
            {
                string[] args = ["diffuse", "sample", "--target", "gauss2d", "--steps", "100", "--steer", "fkc-anneal", "--beta", "2",
                    "--particles", "2000", "--threads", "2", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--json"];
                var (code, output, err) = Run(integrator is null ? args : [.. args, "--fkc-integrator", integrator]);
                Assert.True(code == 0, err);
                using var doc = JsonDocument.Parse(output);
                sum += doc.RootElement.GetProperty("logZ").GetDouble() - doc.RootElement.GetProperty("exactLogZ").GetDouble();
            }
            return sum / 4;
        }
        double euler = MeanLogRatio("euler"), exponential = MeanLogRatio("exponential"), multistep = MeanLogRatio(null);
        Assert.True(euler > 1, $"Euler–Maruyama mean log Ẑ/Z {euler}: the known bias should show");
        Assert.InRange(exponential, -0.5, 0.5);
        Assert.True(exponential < euler - 1, $"exponential {exponential}, euler {euler}");
        Assert.True(Math.Abs(multistep) < 0.5, $"multistep (default) mean log Ẑ/Z {multistep}");
        Assert.Equal(2, Run("diffuse", "sample", "--target", "gauss2d", "--steer", "fkc-anneal", "--particles", "10", "--fkc-integrator", "rk4").Code);
    }

    [Fact]
    public void Fkc_product_lands_on_the_closed_form_product_and_beats_the_unweighted_score_sum()
    {
        string png = Path.Combine(_dir, "product.png");
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--target2", "gauss2d", "--steps", "60", "--steer", "fkc-product",
            "--particles", "600", "--threads", "2", "--seed", "3", "--plot", png, "--json");
        Assert.True(code == 0, err);
        Assert.True(new FileInfo(png).Length > 1000);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("exact", r.GetProperty("reference").GetString());
        Assert.Equal(61, r.GetProperty("essTrace").GetArrayLength());
        // skewed2d·gauss2d puts all mass on skewed2d's component 1 (closed form); the unweighted run leaves half elsewhere.
        Assert.True(r.GetProperty("maxModeMassError").GetDouble() < 0.05, output);
        Assert.True(r.GetProperty("unsteeredMaxModeMassError").GetDouble() > 0.3, output);
        var means = r.GetProperty("means").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var exact = r.GetProperty("exactMeans").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < 2; j++) Assert.InRange(means[j] - exact[j], -0.1, 0.1);
    }

    [Fact]
    public void Twisted_inpainting_lands_on_the_exact_posterior_and_replacement_does_not()
    {
        var (code, output, err) = Run("diffuse", "sample", "--target", "skewed2d", "--steps", "60", "--steer", "twisted", "--observe", "0=1",
            "--obs-noise", "0.05", "--transition", "ddpm", "--particles", "600", "--seed", "4", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(181, r.GetProperty("nfe").GetInt32());
        // Exact posterior masses 0.15/0.85 on two modes; replacement puts ≈ 0.78 on the light one (measured).
        Assert.True(r.GetProperty("maxModeMassError").GetDouble() < 0.12, output);
        Assert.True(r.GetProperty("unsteeredMaxModeMassError").GetDouble() > 0.4, output);
        Assert.InRange(r.GetProperty("logZ").GetDouble() - r.GetProperty("exactLogZ").GetDouble(), -1, 1);
    }

    /// <summary>
    /// A tiny class-conditional checkpoint trained here on two labelled clusters (x₀ ≈ −2 for label 0, +2 for label 1)
    /// is steered from the shell: fkc-cfg toward each label lands on that label's side (fails if the network's weights
    /// or the label were ignored), and fk toward a reward at (2, 0) raises the mean reward over the unweighted run
    /// (fails if the SMC weights were ignored). Training 300 steps of a width-24 MLP keeps the test around a second.
    /// </summary>
    [Fact]
    public void A_trained_conditional_checkpoint_is_steered_from_the_shell()
    {
        string csv = Path.Combine(_dir, "labelled.csv");
        var lines = new List<string> { "x0,x1,label" };
        for (int i = 0; i < 600; i++)
            lines.Add(FormattableString.Invariant($"{(i % 2 == 0 ? -2 : 2) + 0.05 * (i % 7 - 3)},{0.05 * (i % 11 - 5)},{i % 2}"));
        File.WriteAllLines(csv, lines);
        string ck = Path.Combine(_dir, "cond.safetensors");
        var (code, _, err) = Run("diffuse", "train", "--data", csv, "--conditional", "--steps", "300", "--batch", "128", "--width", "24", "--depth", "2",
            "--lr", "3e-3", "--checkpoint", ck, "--no-progress", "--seed", "1");
        Assert.True(code == 0, err);
        foreach (int label in new[] { 0, 1 })
        {
            string outFile = Path.Combine(_dir, $"cfg{label}.csv");
            (code, var output, err) = Run("diffuse", "sample", "--model", ck, "--steer", "fkc-cfg", "--label", label.ToString(CultureInfo.InvariantCulture),
                "--weight", "2", "--steps", "30", "--particles", "300", "--seed", "5", "--output", outFile, "--json");
            Assert.True(code == 0, err);
            var rows = File.ReadAllLines(outFile);
            Assert.Equal(301, rows.Length);
            Assert.Equal(2, rows[1].Split(',').Length);
            using var doc = JsonDocument.Parse(output);
            var r = doc.RootElement;
            Assert.Equal(31, r.GetProperty("essTrace").GetArrayLength());
            Assert.True(double.IsFinite(r.GetProperty("logZ").GetDouble()), output);
            double mean0 = r.GetProperty("means")[0].GetDouble();
            Assert.True(label == 0 ? mean0 < -1 : mean0 > 1, $"label {label}: steered mean x0 = {mean0}\n{output}");
        }
        (code, var fkOut, err) = Run("diffuse", "sample", "--model", ck, "--steer", "fk", "--reward", "gauss:2,0:0.5", "--lambda", "1",
            "--steps", "30", "--particles", "300", "--seed", "6", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(fkOut))
        {
            double steered = doc.RootElement.GetProperty("meanReward").GetDouble(), plain = doc.RootElement.GetProperty("unsteeredMeanReward").GetDouble();
            Assert.True(steered > plain + 1, $"mean reward steered {steered}, unsteered {plain}");
        }
        // fkc-cfg needs the label, fkc-product and --class are for mixtures, --guidance is not steering.
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--steer", "fkc-cfg", "--particles", "10", "--steps", "3").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--steer", "fkc-product", "--target2", "gauss2d", "--particles", "10").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--steer", "fkc-cfg", "--class", "1", "--particles", "10").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--steer", "fk", "--reward", "gauss:0,0:1", "--label", "1", "--guidance", "1").Code);
    }

    [Theory]
    [InlineData("fkc-anneal", "--beta", "0")]
    [InlineData("fkc-product", "--target2", "mix16")]
    [InlineData("fkc-product", "--noise-scale", "-1")]
    [InlineData("fkc-cfg", "--class", "7")]
    [InlineData("fkc-cfg", "--weight", "-1")]
    [InlineData("twisted", "--observe", "0=1,1=2")]
    [InlineData("twisted", "--observe", "5=1")]
    [InlineData("twisted", "--transition", "ddim-eta0")]
    [InlineData("twisted", "--obs-noise", "0")]
    [InlineData("twisted", "--threads", "-1")]
    [InlineData("bogus", "--particles", "10")]
    public void Bad_corrector_and_twisted_options_are_usage_errors(string method, string option, string value)
    {
        var args = new List<string> { "diffuse", "sample", "--target", "skewed2d", "--steer", method, "--steps", "5", "--particles", "10" };
        if (method == "fkc-product" && option != "--target2") args.AddRange(["--target2", "gauss2d"]);
        if (method == "fkc-cfg" && option != "--class") args.AddRange(["--class", "1"]);
        if (method == "twisted" && option != "--observe") args.AddRange(["--observe", "0=1"]);
        args.AddRange([option, value]);
        var (code, _, err) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains("drift:", err);
    }

    [Theory]
    [InlineData("--reward", "gauss:1.5:1")]
    [InlineData("--reward", "quadratic:1,1:1")]
    [InlineData("--ess-threshold", "1.5")]
    [InlineData("--resample", "bogus")]
    [InlineData("--potential", "bogus")]
    [InlineData("--sampler", "ddim")]
    [InlineData("--threads", "-1")]
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
