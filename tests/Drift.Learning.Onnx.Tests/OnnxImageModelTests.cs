using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Generative.Samplers;
using Drift.Generative.Training;
using Drift.IO;

namespace Drift.Learning.Onnx.Tests;

/// <summary>
/// An ONNX network whose x is an image batch [B, C, H, W] (bench/compare/export_onnx.py's tiny conv score net on 1×8×8):
/// the shape is read from the graph, outputs match PyTorch to 1e-5, and Drift's DDIM through it reproduces PyTorch's DDIM
/// samples from the same starting noise to 1e-5.
/// </summary>
public class OnnxImageModelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    [Fact]
    public void Image_network_reads_its_shape_and_matches_pytorch_per_time_batch()
    {
        var f = new Fixture("conv", 64);
        using var net = OnnxNetwork.Load(Fixture.PathOf("conv.onnx"));
        Assert.Equal(new ImageShape(1, 8, 8), net.Image);
        Assert.Equal(64, net.Dimension);
        Assert.False(net.HasLabel);
        var model = new OnnxDiffusionModel(net);
        Assert.Equal(Prediction.Noise, model.Prediction);
        var y = new double[f.Expected.Length];
        for (int g = 0; g < Fixture.Times; g++)
        {
            int r = g * Fixture.Rows;
            model.Evaluate(f.T[r], f.X.AsSpan(r * 64, Fixture.Rows * 64), y.AsSpan(r * 64, Fixture.Rows * 64), Fixture.Rows);
        }
        output.WriteLine($"max |Drift(ONNX) − PyTorch| = {f.MaxError(y):E2}");
        Assert.True(f.MaxError(y) < Tolerance, $"max |Drift(ONNX) − PyTorch| = {f.MaxError(y):E2}");
        // Rows are images in row-major C×H×W order: a one-pixel change moves outputs only within the 5×5 receptive field
        // of the two 3×3 convolutions around it (pixel (2, 3) → rows 0..4, columns 1..5).
        var x = f.X.AsSpan(0, 64).ToArray();
        var before = new double[64];
        var after = new double[64];
        model.Evaluate(0.5, x, before, 1);
        x[2 * 8 + 3] += 1;
        model.Evaluate(0.5, x, after, 1);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
            {
                bool inside = i <= 4 && j >= 1 && j <= 5;
                double change = Math.Abs(after[i * 8 + j] - before[i * 8 + j]);
                Assert.True(inside || change == 0, $"pixel ({i}, {j}) outside the receptive field changed by {change}");
            }
        Assert.True(Math.Abs(after[2 * 8 + 3] - before[2 * 8 + 3]) > 1e-3, "the centre pixel's output did not move");
    }

    [Fact]
    public void Ddim_through_the_onnx_image_network_reproduces_pytorchs_samples()
    {
        // conv.ddim.npy: row 0 the 11 times of PyTorch's grid (uniform in t, 1 → 1e-3), rows 1..8 the noise x_T,
        // rows 9..16 PyTorch's deterministic DDIM samples (float64 update around the float32 network, as Drift's).
        var ddim = NpyReader.Read(Fixture.PathOf("conv.ddim.npy"));
        const int n = 8, steps = 10, d = 64;
        Assert.Equal(1 + 2 * n, ddim.Shape[0]);
        using var net = OnnxNetwork.Load(Fixture.PathOf("conv.onnx"));
        var model = new OnnxDiffusionModel(net);
        var grid = SamplingGrid.Create(model.Schedule, steps, GridSpacing.UniformTime);
        for (int i = 0; i <= steps; i++) Assert.Equal(ddim.Data[i], grid.Time(i), 1e-14);
        Assert.False(grid.EndsAtZeroNoise);
        var x = ddim.Data.AsSpan(d, n * d).ToArray();
        var expected = ddim.Data.AsSpan((1 + n) * d, n * d);
        SamplerCatalog.Create("ddim").Sample(model, grid, x, n, seed: 1);
        double worst = 0, spread = 0;
        for (int k = 0; k < x.Length; k++)
        {
            worst = Math.Max(worst, Math.Abs(x[k] - expected[k]));
            spread = Math.Max(spread, Math.Abs(expected[k]));
        }
        output.WriteLine($"DDIM: max |Drift − PyTorch| = {worst:E2}, largest |sample value| {spread:G3}");
        Assert.True(spread > 0.1, "PyTorch's samples are degenerate; the comparison would prove nothing");
        Assert.True(worst < Tolerance, $"max |Drift DDIM (ONNX) − PyTorch DDIM| = {worst:E2}");
    }
}
