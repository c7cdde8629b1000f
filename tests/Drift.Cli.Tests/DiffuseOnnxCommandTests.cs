using System.Globalization;
using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// <c>drift diffuse sample --model</c> with an ONNX network and with PyTorch weights (the fixtures of
/// bench/compare/export_onnx.py under tests/Drift.Learning.Onnx.Tests/Fixtures).
/// </summary>
public sealed class DiffuseOnnxCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-onnx").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string file) => RepositoryPath("tests", "Drift.Learning.Onnx.Tests", "Fixtures", file);

    private static double[] ReadCsv(string path) =>
        [.. File.ReadAllLines(path).Skip(1).SelectMany(l => l.Split(',')).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

    [Fact]
    public void Onnx_model_and_pytorch_weights_sample_the_same_points()
    {
        string a = Path.Combine(_dir, "onnx.csv"), b = Path.Combine(_dir, "pytorch.csv");
        var (code, output, err) = Run("diffuse", "sample", "--model", Fixture("mlp_label64.onnx"), "--label", "1", "--guidance", "1",
            "--sampler", "dpmpp-2m", "--steps", "8", "--n", "40", "--seed", "5", "--output", a, "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output)) Assert.Equal("vp", doc.RootElement.GetProperty("schedule").GetString());
        (code, _, err) = Run("diffuse", "sample", "--model", Fixture("mlp_label64.safetensors"), "--label", "1", "--guidance", "1",
            "--sampler", "dpmpp-2m", "--steps", "8", "--n", "40", "--seed", "5", "--output", b);
        Assert.True(code == 0, err);
        double[] x = ReadCsv(a), y = ReadCsv(b);
        Assert.Equal(80, x.Length);
        Assert.Equal(x.Length, y.Length);
        for (int k = 0; k < x.Length; k++) Assert.True(Math.Abs(x[k] - y[k]) < 1e-5, $"value {k}: ONNX {x[k]}, PyTorch weights {y[k]}");
    }

    [Fact]
    public void An_onnx_image_network_samples_images_and_plots_a_grid()
    {
        // conv.onnx takes x [B, 1, 8, 8]: rows of 64 values, drawn as an image grid (the PNG's size shows it is not a scatter).
        string samples = Path.Combine(_dir, "images.csv"), plot = Path.Combine(_dir, "grid.png");
        var (code, _, err) = Run("diffuse", "sample", "--model", Fixture("conv.onnx"), "--sampler", "ddim", "--steps", "6",
            "--n", "12", "--seed", "2", "--output", samples, "--plot", plot);
        Assert.True(code == 0, err);
        var x = ReadCsv(samples);
        Assert.Equal(12 * 64, x.Length);
        Assert.All(x, v => Assert.True(double.IsFinite(v)));
        Assert.True(new FileInfo(plot).Length > 100);
    }

    [Fact]
    public void Bad_onnx_files_exit_2_with_one_line()
    {
        string truncated = Path.Combine(_dir, "truncated.onnx");
        var bytes = File.ReadAllBytes(Fixture("mlp.onnx"));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        foreach (var (file, expected) in new[] { (truncated, "not a loadable ONNX model"), (Fixture("wrong_inputs.onnx"), "x [B, d]") })
        {
            var (code, _, err) = Run("diffuse", "sample", "--model", file, "--n", "10");
            Assert.Equal(2, code);
            Assert.StartsWith("drift: ", err, StringComparison.Ordinal);
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.Single(err.TrimEnd().Split('\n'));
        }
        var (c, _, e) = Run("diffuse", "sample", "--model", Fixture("mlp.onnx"), "--label", "0", "--n", "10");
        Assert.Equal(2, c);
        Assert.Contains("unconditional", e, StringComparison.Ordinal);
    }
}
