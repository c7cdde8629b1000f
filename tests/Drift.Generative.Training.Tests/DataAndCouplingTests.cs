using Drift.Generative.Training;
using Drift.Random;

namespace Drift.Generative.Training.Tests;

/// <summary>Built-in data sets, file readers and batch couplings.</summary>
public sealed class DataAndCouplingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("drift-data-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Built_in_sets_have_their_published_shape()
    {
        foreach (string name in PointDatasets.Names)
        {
            int count = name.StartsWith("mix", StringComparison.Ordinal) ? 100 : 4000;
            var data = PointDatasets.Generate(name, count, 1);
            Assert.Equal(count, data.Count);
            Assert.True(Array.TrueForAll(data.Points, double.IsFinite), name);
            Assert.True(data.Points.AsSpan().SequenceEqual(PointDatasets.Generate(name, count, 1).Points), name);
        }
        // Eight Gaussians: radius 2√2 around the origin, label k at angle 2πk/8.
        var eight = PointDatasets.Generate("eight-gaussians", 4000, 2);
        for (int r = 0; r < eight.Count; r++)
        {
            double a = 2 * Math.PI * eight.Labels![r] / 8;
            double dx = eight.Points[2 * r] - 4 / Math.Sqrt(2) * Math.Cos(a), dy = eight.Points[2 * r + 1] - 4 / Math.Sqrt(2) * Math.Sin(a);
            Assert.True(dx * dx + dy * dy < 25 * 0.125, $"row {r} lies {Math.Sqrt(dx * dx + dy * dy)} from its centre");
        }
        // Checkerboard: every point in a black square of the 4×4 board of side 2 on [−4, 4]².
        var board = PointDatasets.Generate("checkerboard", 4000, 3);
        for (int r = 0; r < board.Count; r++)
        {
            int i = (int)Math.Floor(board.Points[2 * r] / 2), j = (int)Math.Floor(board.Points[2 * r + 1] / 2);
            Assert.True(((i + j) % 2 + 2) % 2 == 0, $"row {r} ({board.Points[2 * r]}, {board.Points[2 * r + 1]}) is on a white square");
        }
        Assert.Equal(new[] { 0, 1 }, PointDatasets.Generate("two-moons", 100, 1).Labels!.Distinct().Order());
        Assert.Equal(5, PointDatasets.Generate("pinwheel", 100, 1).Classes);
    }

    [Fact]
    public void Bad_point_files_are_refused_with_file_line_and_row()
    {
        string good = Path.Combine(dir, "good.csv");
        File.WriteAllText(good, "x0,x1\n1,2\n3,4\n");
        var data = PointDatasets.Read(good);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, data.Points);

        string bad = Path.Combine(dir, "bad.csv");
        File.WriteAllText(bad, "x0,x1\n1,2\n3,oops\n");
        var e = Assert.Throws<InvalidDataException>(() => PointDatasets.Read(bad));
        Assert.Contains("bad.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad.csv:3:", e.Message, StringComparison.Ordinal);

        string nan = Path.Combine(dir, "nan.csv");
        File.WriteAllText(nan, "1,2\n3,4\nNaN,5\n");
        e = Assert.Throws<InvalidDataException>(() => PointDatasets.Read(nan));
        Assert.Contains("nan.csv:3:", e.Message, StringComparison.Ordinal); // the core CSV reader names file and line of the NaN

        Assert.Throws<FileNotFoundException>(() => PointDatasets.Read(Path.Combine(dir, "none.csv")));
        var ex = Assert.Throws<ArgumentException>(() => new DiffusionTrainer<double>([1, 2, double.NaN, 4], null,
            new DiffusionTrainingOptions { Network = new NetworkSpec(NetworkKind.Mlp, 2), BatchSize = 1 }));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    static double MeanSquaredPairDistance(double[] a, double[] b, int d)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
        return s / (a.Length / d);
    }

    [Fact]
    public void Couplings_pair_noise_with_data_as_their_transport_problems_say()
    {
        int n = 6, d = 2;
        var x = new double[n * d];
        var z = new double[n * d];
        var u = new double[n];
        new PhiloxNormals(1).FillStream(0, 0, x);
        for (int k = 0; k < x.Length; k++) x[k] = 3 * x[k] + 1;
        new PhiloxNormals(2).FillStream(0, 0, z);
        new PhiloxUniforms(3).FillStream(0, 0, u);

        // Brute force over all 720 permutations for the squared (OT) and plain (immiscible) Euclidean costs.
        double bestSq = double.MaxValue, bestEu = double.MaxValue;
        foreach (var perm in Permutations(n))
        {
            double sq = 0, eu = 0;
            for (int i = 0; i < n; i++)
            {
                double dd = 0;
                for (int j = 0; j < d; j++) dd += Math.Pow(x[i * d + j] - z[perm[i] * d + j], 2);
                sq += dd;
                eu += Math.Sqrt(dd);
            }
            bestSq = Math.Min(bestSq, sq);
            bestEu = Math.Min(bestEu, eu);
        }
        var ot = (double[])z.Clone();
        new BatchCoupler(Coupling.ExactOt, n, d).Couple(x, ot, u);
        Assert.Equal(bestSq / n, MeanSquaredPairDistance(x, ot, d), 10);
        var im = (double[])z.Clone();
        new BatchCoupler(Coupling.Immiscible, n, d).Couple(x, im, u);
        double eucl = 0;
        for (int i = 0; i < n; i++) eucl += Math.Sqrt(Math.Pow(x[2 * i] - im[2 * i], 2) + Math.Pow(x[2 * i + 1] - im[2 * i + 1], 2));
        Assert.Equal(bestEu, eucl, 10);
        Assert.Equal(z.Order(), ot.Order());
        Assert.Equal(z.Order(), im.Order());
        // Entropic: small ε is (nearly) the OT permutation; large ε is (nearly) independent and so costs more on average.
        var sharp = (double[])z.Clone();
        new BatchCoupler(Coupling.Entropic, n, d, 1e-3).Couple(x, sharp, u);
        Assert.Equal(bestSq / n, MeanSquaredPairDistance(x, sharp, d), 6);
        var independent = (double[])z.Clone();
        new BatchCoupler(Coupling.Independent, n, d).Couple(x, independent, u);
        Assert.Equal(z, independent);
    }

    static IEnumerable<int[]> Permutations(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        while (true)
        {
            yield return (int[])p.Clone();
            int i = n - 2;
            while (i >= 0 && p[i] > p[i + 1]) i--;
            if (i < 0) yield break;
            int j = n - 1;
            while (p[j] < p[i]) j--;
            (p[i], p[j]) = (p[j], p[i]);
            Array.Reverse(p, i + 1, n - i - 1);
        }
    }
}
