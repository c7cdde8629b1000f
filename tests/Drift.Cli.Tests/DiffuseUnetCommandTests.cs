using System.Globalization;
using System.Text;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift diffuse train --net unet</c> on a CSV of flattened images with <c>--image</c>, and its input errors.</summary>
public sealed class DiffuseUnetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-unet").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>64 rows of 8×8 images, each a bright 3×3 square at a position set by the row index, written as CSV x0..x63.</summary>
    private string SquaresCsv()
    {
        string path = Path.Combine(_dir, "squares.csv");
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, 64).Select(k => $"x{k}"))).Append('\n');
        for (int r = 0; r < 64; r++)
        {
            int top = r % 6, left = r / 6 % 6;
            text.AppendJoin(',', Enumerable.Range(0, 64).Select(k =>
                (k / 8 - top is >= 0 and < 3 && k % 8 - left is >= 0 and < 3 ? 1.0 : -1.0).ToString(CultureInfo.InvariantCulture))).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void A_UNet_trains_on_a_file_of_images_and_its_checkpoint_samples()
    {
        string data = SquaresCsv(), ck = Path.Combine(_dir, "unet.safetensors"), csv = Path.Combine(_dir, "s.csv");
        var (code, output, err) = Run("diffuse", "train", "--data", data, "--image", "1x8x8", "--net", "unet", "--unet-width", "8",
            "--unet-levels", "2", "--unet-groups", "4", "--unet-heads", "2", "--steps", "3", "--batch", "16", "--checkpoint", ck, "--no-progress");
        Assert.True(code == 0, err);
        Assert.Contains("network         unet width 8 depth 2", output, StringComparison.Ordinal);
        var meta = Drift.Learning.Checkpoints.SafeTensorsFile.Read(ck).Metadata;
        Assert.Equal("1x8x8", meta["drift.image_shape"]);
        Assert.Equal("2", meta["drift.heads"]);

        (code, _, err) = Run("diffuse", "sample", "--model", ck, "--sampler", "ddim", "--steps", "3", "--n", "4", "--output", csv);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(5, lines.Length);
        Assert.Equal(64, lines[1].Split(',').Length);
    }

    [Theory]
    [InlineData("no image shape", "--net", "unet")]
    [InlineData("has 16 values per image", "--net", "unet", "--image", "1x4x4")]
    [InlineData("not CxHxW", "--net", "unet", "--image", "8x8")]
    [InlineData("multiple of the groups", "--net", "unet", "--image", "1x8x8", "--unet-width", "6", "--unet-groups", "4")]
    [InlineData("is not divisible by 16", "--net", "unet", "--image", "1x8x8", "--unet-levels", "5")]
    public void Bad_UNet_options_exit_2_with_a_reason(string reason, params string[] options)
    {
        string data = SquaresCsv(), ck = Path.Combine(_dir, "bad.safetensors");
        var (code, _, err) = Run(["diffuse", "train", "--data", data, "--steps", "1", "--batch", "8", "--checkpoint", ck, "--no-progress", .. options]);
        Assert.Equal(2, code);
        Assert.Contains(reason, err, StringComparison.Ordinal);
    }
}
