using Drift.IO;

namespace Drift.Learning.Onnx.Tests;

/// <summary>
/// The committed fixtures of bench/compare/export_onnx.py: NAME.inputs.npy [R, 3|4] (x0, x1, t, label) and
/// NAME.outputs.npy [R, 2] (PyTorch's P in float32, widened), 4 times × 8 rows.
/// </summary>
internal sealed class Fixture
{
    public const int Rows = 8, Times = 4, D = 2;

    public Fixture(string name)
    {
        Name = name;
        var inputs = NpyReader.Read(PathOf(name + ".inputs.npy"));
        var outputs = NpyReader.Read(PathOf(name + ".outputs.npy"));
        int r = inputs.Shape[0], c = inputs.Shape[1];
        Assert.Equal(Rows * Times, r);
        X = new double[r * D];
        T = new double[r];
        Labels = new long[c == 4 ? r : 0];
        for (int i = 0; i < r; i++)
        {
            X[i * D] = inputs.Data[i * c];
            X[i * D + 1] = inputs.Data[i * c + 1];
            T[i] = inputs.Data[i * c + 2];
            if (c == 4) Labels[i] = (long)inputs.Data[i * c + 3];
        }
        Expected = outputs.Data;
    }

    public string Name { get; }
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
