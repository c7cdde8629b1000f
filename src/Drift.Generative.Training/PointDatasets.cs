using Drift.Generative.Oracles;
using Drift.Random;
using Drift.IO;
using Drift.Transport;
using Drift.Transport.IO;

namespace Drift.Generative.Training;

/// <summary>
/// Training data for point models: the built-in 2-D sets of the flow-matching literature, the exact Gaussian mixtures of
/// <see cref="StandardMixtures"/>, and user point clouds from CSV or .npy.
/// </summary>
/// <remarks>
/// Built-in sets follow the generators of FFJORD (Grathwohl et al. 2019, <c>toy_data.py</c>) and scikit-learn's
/// <c>make_moons</c>, drawn with Philox from the seed:
/// <list type="bullet">
/// <item>two-moons: outer (cos θ, sin θ), inner (1 − cos θ, ½ − sin θ), θ ~ U[0, π], + N(0, 0.1²); labels 0/1.</item>
/// <item>eight-gaussians: centres (2√2)(cos 2πk/8, sin 2πk/8) + N(0, (0.5/√2)²); label k.</item>
/// <item>checkerboard: x₁ ~ U[−2, 2), x₂ ~ U[0, 1) − 2·B + ⌊x₁⌋ mod 2 (B a fair bit), both ×2; unlabelled.</item>
/// <item>swiss-roll: t = 1.5π(1 + 2u), (t cos t, t sin t) + N(0, 1), divided by 5; unlabelled.</item>
/// <item>pinwheel: 5 arms, radial std 0.3, tangential std 0.1, rate 0.25, ×2; label = arm.</item>
/// <item>gauss2d, ring8, skewed2d, mix16, mix64: exact samples of the standard mixtures, labelled by the component each
/// point was drawn from, so a trained model can be compared with the exact score and exact samples.</item>
/// </list>
/// </remarks>
public static class PointDatasets
{
    /// <summary>The built-in 2-D sets.</summary>
    public static IReadOnlyList<string> ToyNames { get; } = ["two-moons", "eight-gaussians", "checkerboard", "swiss-roll", "pinwheel"];

    /// <summary>Every built-in name (toy sets and exact mixtures).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ToyNames, .. StandardMixtures.Names];

    /// <summary>Whether <paramref name="name"/> is built in.</summary>
    public static bool IsBuiltIn(string name) => Names.Contains(name);

    /// <summary>Generates <paramref name="count"/> rows of a built-in set.</summary>
    /// <exception cref="ArgumentException">Unknown name or count &lt; 1.</exception>
    public static PointData Generate(string name, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (StandardMixtures.Names.Contains(name))
        {
            var mixture = StandardMixtures.Get(name);
            var x = new double[(long)count * mixture.Dimension];
            mixture.Sample(1, 0, seed, 0, x, count);
            var components = new int[count];
            mixture.SampleComponents(seed, 0, components, count);
            return new PointData(name, x, mixture.Dimension, components, mixture.ComponentCount);
        }
        var u = new double[count * 4];
        var z = new double[count * 4];
        new PhiloxUniforms(SeedMixer.Derive(seed, 11)).FillStream(0, 0, u);
        new PhiloxNormals(SeedMixer.Derive(seed, 12)).FillStream(0, 0, z);
        var p = new double[count * 2];
        int[]? labels = null;
        int classes = 0;
        switch (name)
        {
            case "two-moons":
                labels = new int[count];
                classes = 2;
                for (int r = 0; r < count; r++)
                {
                    int c = r % 2;
                    double th = Math.PI * u[4 * r];
                    p[2 * r] = (c == 0 ? Math.Cos(th) : 1 - Math.Cos(th)) + 0.1 * z[4 * r];
                    p[2 * r + 1] = (c == 0 ? Math.Sin(th) : 0.5 - Math.Sin(th)) + 0.1 * z[4 * r + 1];
                    labels[r] = c;
                }
                break;
            case "eight-gaussians":
                labels = new int[count];
                classes = 8;
                for (int r = 0; r < count; r++)
                {
                    int k = Math.Min(7, (int)(8 * u[4 * r]));
                    double a = 2 * Math.PI * k / 8, scale = 4 / Math.Sqrt(2), std = 0.5 / Math.Sqrt(2);
                    p[2 * r] = scale * Math.Cos(a) + std * z[4 * r];
                    p[2 * r + 1] = scale * Math.Sin(a) + std * z[4 * r + 1];
                    labels[r] = k;
                }
                break;
            case "checkerboard":
                for (int r = 0; r < count; r++)
                {
                    double x1 = 4 * u[4 * r] - 2;
                    double x2 = u[4 * r + 1] - (u[4 * r + 2] < 0.5 ? 0 : 2);
                    x2 += ((int)Math.Floor(x1) % 2 + 2) % 2;
                    p[2 * r] = 2 * x1;
                    p[2 * r + 1] = 2 * x2;
                }
                break;
            case "swiss-roll":
                for (int r = 0; r < count; r++)
                {
                    double t = 1.5 * Math.PI * (1 + 2 * u[4 * r]);
                    p[2 * r] = (t * Math.Cos(t) + z[4 * r]) / 5;
                    p[2 * r + 1] = (t * Math.Sin(t) + z[4 * r + 1]) / 5;
                }
                break;
            case "pinwheel":
                labels = new int[count];
                classes = 5;
                for (int r = 0; r < count; r++)
                {
                    int k = r % 5;
                    double f0 = 0.3 * z[4 * r] + 1, f1 = 0.1 * z[4 * r + 1];
                    double angle = 2 * Math.PI * k / 5 + 0.25 * Math.Exp(f0);
                    double c = Math.Cos(angle), s = Math.Sin(angle);
                    // FFJORD: features · [[c, −s], [s, c]] (row vector times the rotation).
                    p[2 * r] = 2 * (f0 * c + f1 * s);
                    p[2 * r + 1] = 2 * (-f0 * s + f1 * c);
                    labels[r] = k;
                }
                break;
            default:
                throw new ArgumentException($"unknown data set '{name}'; built in: {string.Join(", ", Names)}.", nameof(name));
        }
        return new PointData(name, p, 2, labels, classes);
    }

    /// <summary>
    /// Reads a point cloud from CSV (columns x0,x1,… as <c>drift diffuse sample --output</c> writes them; a header line is
    /// allowed, and a header column named <c>label</c> gives each row's class, a non-negative integer, with
    /// classes = max label + 1) or a float64 .npy array (n × d). Malformed numbers and ragged rows are reported with file, line and column;
    /// NaN/∞ rows are refused with their row number.
    /// </summary>
    /// <exception cref="InvalidDataException">Bad data (the message names the file and place).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static PointData Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such data file.", path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var cloud = PointCloudReader.Read(path);
            return new PointData(path, cloud.Coordinates, cloud.Dimension, null, 0);
        }
        NumericArray array;
        string[]? header;
        using (var reader = new StreamReader(path)) array = CsvReader.Read(reader, path, out header);
        int label = header is null ? -1 : Array.IndexOf(header, "label");
        if (label < 0 || array.Columns < 2)
        {
            if (array.Data.Length == 0) throw new InvalidDataException($"{path}: the array is empty.");
            var plain = new PointCloud(array.Data, array.Columns);
            return new PointData(path, plain.Coordinates, plain.Dimension, null, 0);
        }
        // A 'label' column holds each row's class (a non-negative integer); the other columns are the coordinates.
        int rows = array.Rows, columns = array.Columns, d = columns - 1;
        var points = new double[rows * d];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double v = array.Data[r * columns + label];
            if (!(v >= 0 && v <= 1 << 20 && v == Math.Floor(v)))
                throw new InvalidDataException($"{path}: point {r}: label {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a non-negative integer (at most 2^20).");
            labels[r] = (int)v;
            for (int j = 0, k = 0; j < columns; j++)
                if (j != label) points[r * d + k++] = array.Data[r * columns + j];
        }
        var labelled = new PointCloud(points, d);
        return new PointData(path, labelled.Coordinates, d, labels, labels.Max() + 1);
    }

    /// <summary>A built-in set by name, a split of the handwritten <see cref="Digits"/> (count and seed are ignored), or else a file.</summary>
    public static PointData Load(string nameOrPath, int count, ulong seed)
        => Digits.IsName(nameOrPath) ? Digits.Load(nameOrPath) : IsBuiltIn(nameOrPath) ? Generate(nameOrPath, count, seed) : Read(nameOrPath);
}
