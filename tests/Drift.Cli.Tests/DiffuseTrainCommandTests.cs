using System.Globalization;
using System.Text.Json;
using Drift.Cli;
using Drift.Cli.Diffuse;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public sealed class DiffuseTrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-train").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_then_sample_the_checkpoint_end_to_end_and_resume()
    {
        string ck = Path.Combine(_dir, "moons.safetensors"), png = Path.Combine(_dir, "loss.png"), csv = Path.Combine(_dir, "s.csv");
        var (code, output, err) = Run("diffuse", "train", "--data", "two-moons", "--n", "1000", "--objective", "flow", "--coupling", "ot",
            "--net", "resmlp", "--width", "16", "--depth", "1", "--steps", "20", "--batch", "64", "--lr", "2e-3", "--ema", "0.9",
            "--seed", "3", "--checkpoint", ck, "--plot", png);
        Assert.True(code == 0, err);
        Assert.Contains("steps/s", err, StringComparison.Ordinal);
        Assert.Contains("checkpoint", output, StringComparison.Ordinal);
        Assert.True(File.Exists(ck));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);

        (code, output, err) = Run("diffuse", "sample", "--model", ck, "--sampler", "ode-rk4", "--steps", "5", "--n", "200", "--output", csv, "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(20, doc.RootElement.GetProperty("nfe").GetInt32());
            Assert.Equal("rf", doc.RootElement.GetProperty("schedule").GetString());
        }
        var lines = File.ReadAllLines(csv);
        Assert.Equal(201, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.All(l.Split(','), v => Assert.True(double.IsFinite(double.Parse(v, CultureInfo.InvariantCulture)))));

        // Resume to 30 steps, against a straight 30-step run: identical checkpoint tensors.
        string straight = Path.Combine(_dir, "straight.safetensors");
        string[] common = ["diffuse", "train", "--data", "two-moons", "--n", "1000", "--objective", "flow", "--coupling", "ot", "--net", "resmlp",
            "--width", "16", "--depth", "1", "--batch", "64", "--lr", "2e-3", "--ema", "0.9", "--seed", "3", "--no-progress", "--steps", "30"];
        Assert.Equal(0, Run([.. common, "--checkpoint", ck, "--resume"]).Code);
        Assert.Equal(0, Run([.. common, "--checkpoint", straight, "--threads", "1"]).Code);
        var a = Drift.Learning.Checkpoints.SafeTensorsFile.Read(ck);
        var b = Drift.Learning.Checkpoints.SafeTensorsFile.Read(straight);
        Assert.Equal(b.Names.Order(), a.Names.Order());
        foreach (var name in b.Names)
        {
            if (b.Info(name).DType == "I64") Assert.Equal(b.GetInt64(name), a.GetInt64(name));
            else Assert.True(b.GetAs<double>(name).ToArray().AsSpan().SequenceEqual(a.GetAs<double>(name).ToArray()), $"tensor {name} differs after resuming");
        }
    }

    [Fact]
    public void A_trained_exact_mixture_model_is_reported_against_the_mixture()
    {
        string ck = Path.Combine(_dir, "g.safetensors");
        Assert.Equal(0, Run("diffuse", "train", "--data", "gauss2d", "--n", "4000", "--objective", "edm", "--steps", "30", "--batch", "128",
            "--width", "32", "--depth", "2", "--checkpoint", ck, "--no-progress").Code);
        var (code, output, err) = Run("diffuse", "sample", "--model", ck, "--sampler", "heun", "--steps", "8", "--n", "400", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("slicedW2").GetDouble() > 0);
        Assert.Equal("edm", doc.RootElement.GetProperty("schedule").GetString());
    }

    [Fact]
    public void Cancelling_writes_a_checkpoint_and_exits_130()
    {
        string ck = Path.Combine(_dir, "c.safetensors");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainCommand.Run(["--data", "ring8", "--n", "500", "--steps", "50", "--batch", "64", "--width", "16", "--depth", "1",
            "--checkpoint", ck, "--no-progress"], stdout, stderr, cts.Token);
        Assert.Equal(TrainCommand.Interrupted, code);
        Assert.Contains("interrupted at step 0", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(ck));
    }

    [Fact]
    public void A_diverging_run_names_the_step_and_parameter_and_keeps_the_last_good_checkpoint()
    {
        string ck = Path.Combine(_dir, "nan.safetensors");
        var (code, _, err) = Run("diffuse", "train", "--data", "ring8", "--n", "500", "--objective", "dsm", "--prediction", "score",
            "--schedule", "ve", "--steps", "400", "--batch", "64", "--lr", "1e30", "--width", "16", "--depth", "1", "--save-every", "1",
            "--checkpoint", ck, "--no-progress");
        Assert.Equal(1, code);
        Assert.Contains("training stopped at step", err, StringComparison.Ordinal);
        Assert.Contains("non-finite", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diffuse", "train")]
    [InlineData("diffuse", "train", "--data", "two-moons")]
    [InlineData("diffuse", "train", "--data", "nowhere.csv", "--checkpoint", "x.safetensors")]
    [InlineData("diffuse", "train", "--data", "two-moons", "--checkpoint", "x.safetensors", "--objective", "gan")]
    [InlineData("diffuse", "train", "--data", "two-moons", "--checkpoint", "x.safetensors", "--coupling", "magic")]
    [InlineData("diffuse", "train", "--data", "two-moons", "--checkpoint", "x.safetensors", "--net", "unet")]
    [InlineData("diffuse", "train", "--data", "checkerboard", "--checkpoint", "x.safetensors", "--conditional")]
    [InlineData("diffuse", "train", "--data", "two-moons", "--checkpoint", "x.safetensors", "--objective", "flow", "--schedule", "vp")]
    [InlineData("diffuse", "sample", "--model", "missing.safetensors")]
    [InlineData("diffuse", "sample", "--model", "m.safetensors", "--target", "ring8")]
    public void Bad_train_and_model_arguments_exit_2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("drift: ", err, StringComparison.Ordinal);
    }
}
