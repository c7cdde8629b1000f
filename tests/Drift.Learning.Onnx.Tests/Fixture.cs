using Drift.IO;

namespace Drift.Learning.Onnx.Tests;

/// <summary>
/// The committed fixtures of bench/compare/export_onnx.py: NAME.inputs.npy [R, d + 1|2] (x0 … x_{d−1}, t, label) and
/// NAME.outputs.npy [R, d] (PyTorch's P in float32, widened), 4 times × 8 rows; d = 2 for points, 64 for the 1×8×8 images.
/// </summary>
internal sealed class Fixture
{
    public const int Rows = 8, Times = 4, D = 2;

    public Fixture(string name, int d = D)
    {
        Name = name;
        Dimension = d;
        var inputs = NpyReader.Read(PathOf(name + ".inputs.npy"));
        var outputs = NpyReader.Read(PathOf(name + ".outputs.npy"));
        int r = inputs.Shape[0], c = inputs.Shape[1];
        Assert.Equal(Rows * Times, r);
        Assert.True(c == d + 1 || c == d + 2, $"{name}.inputs.npy has {c} columns for d = {d}");
        X = new double[r * d];
        T = new double[r];
        Labels = new long[c == d + 2 ? r : 0];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < d; j++) X[i * d + j] = inputs.Data[i * c + j];
            T[i] = inputs.Data[i * c + d];
            if (c == d + 2) Labels[i] = (long)inputs.Data[i * c + d + 1];
        }
        Expected = outputs.Data;
    }

    public string Name { get; }
    public int Dimension { get; }
    public double[] X { get; }
    public double[] T { get; }
    public long[] Labels { get; }
    public double[] Expected { get; }

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    /// <summary>The largest |a − b| over the fixture's outputs.</summary>
    public double MaxError(ReadOnlySpan<double> actual)
    {
        double worst = 0;
        for (int k = 0; k < Expected.Length; k++) worst = Math.Max(worst, Math.Abs(actual[k] - Expected[k]));
        return double.IsNaN(worst) ? double.PositiveInfinity : worst;
    }
}
