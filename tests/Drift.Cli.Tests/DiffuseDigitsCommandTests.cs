using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift diffuse train --data digits</c> and sampling it per class into an image grid and a .npy file (a tiny network, a few steps: the plumbing, not the quality).</summary>
public sealed class DiffuseDigitsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-digits").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_conditional_digits_model_samples_every_class_into_an_image_grid_and_an_npy_array()
    {
        string ck = Path.Combine(_dir, "digits.safetensors"), png = Path.Combine(_dir, "grid.png"), npy = Path.Combine(_dir, "s.npy");
        var (code, output, err) = Run("diffuse", "train", "--data", "digits", "--conditional", "--label-dropout", "0.2", "--net", "resmlp",
            "--width", "16", "--depth", "1", "--steps", "5", "--batch", "64", "--checkpoint", ck, "--no-progress");
        Assert.True(code == 0, err);
        Assert.Contains("digits (1497 points, 64-D, 10 classes)", output, StringComparison.Ordinal);
        Assert.Equal("1x8x8", Drift.Learning.Checkpoints.SafeTensorsFile.Read(ck).Metadata["drift.image_shape"]);

        (code, output, err) = Run("diffuse", "sample", "--model", ck, "--classes", "--guidance", "1", "--n", "3", "--steps", "3",
            "--plot", png, "--output", npy, "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output)) Assert.Equal(30, doc.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
        byte[] bytes = File.ReadAllBytes(npy);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Contains("'shape': (30, 64)", Encoding.ASCII.GetString(bytes, 10, headerLength), StringComparison.Ordinal);
        Assert.Equal(10 + headerLength + 8 * 30 * 64, bytes.Length);
        Assert.True(double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + headerLength))));

        // --classes and --label together, a label outside the classes, and --evaluate on a model not trained on digits are refused.
        Assert.Equal(2, Run("diffuse", "sample", "--model", ck, "--classes", "--label", "1").Code);
        var bad = Run("diffuse", "sample", "--model", ck, "--label", "10");
        Assert.Equal(2, bad.Code);
        Assert.Contains("outside the model's 10 classes", bad.Err, StringComparison.Ordinal);
        Assert.Equal(2, Run("diffuse", "sample", "--target", "ring8", "--evaluate").Code);
        Assert.Equal(2, Run("diffuse", "sample", "--target", "ring8", "--classes").Code);
    }
}
