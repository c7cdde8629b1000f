using System.Globalization;
using System.IO.Compression;
using Drift.Random;

namespace Drift.Generative.Training;

/// <summary>
/// The 8×8 handwritten digits of the UCI repository ("Optical Recognition of Handwritten Digits", Alpaydin &amp; Kaynak
/// 1998; CC BY 4.0; scikit-learn's copy of the 1797-image test set, embedded; see data/digits/README.md): 64 pixel
/// values p ∈ {0, …, 16} per image scaled to x = p/8 − 1 ∈ [−1, 1], labels 0–9, image shape 1×8×8.
/// </summary>
/// <remarks>
/// A fixed stratified split: for every digit c, the rows of class c are ordered by a Philox uniform key u_r (seed
/// <see cref="SplitSeed"/>, stream 0, draw r = the row's index in the file; ties by r) and the first
/// <see cref="HeldOutPerClass"/> are held out. So <see cref="HeldOutName"/> holds 300 rows (30 of each digit) and
/// <see cref="TrainName"/> the other 1497, both in file order; <see cref="AllName"/> is every row.
/// </remarks>
public static class Digits
{
    /// <summary>"digits": the training split (1497 rows).</summary>
    public const string TrainName = "digits";
    /// <summary>"digits-heldout": the held-out split (300 rows, 30 per digit).</summary>
    public const string HeldOutName = "digits-heldout";
    /// <summary>"digits-all": all 1797 rows.</summary>
    public const string AllName = "digits-all";
    /// <summary>Images per digit in the held-out split.</summary>
    public const int HeldOutPerClass = 30;
    /// <summary>The seed of the split's permutation.</summary>
    public const ulong SplitSeed = 20261207;
    /// <summary>Images in the file.</summary>
    public const int TotalCount = 1797;
    /// <summary>The layout of a row: 1 channel, 8×8 pixels.</summary>
    public static ImageShape Shape { get; } = new(1, 8, 8);

    /// <summary>The names this class answers to.</summary>
    public static IReadOnlyList<string> Names { get; } = [TrainName, HeldOutName, AllName];

    static readonly Lazy<(byte[] Pixels, int[] Labels)> Raw = new(ReadEmbedded);

    /// <summary>Whether <paramref name="name"/> is one of <see cref="Names"/>.</summary>
    public static bool IsName(string name) => Names.Contains(name);

    /// <summary>The split named <paramref name="name"/> (one of <see cref="Names"/>), scaled to [−1, 1], with labels and the 1×8×8 shape.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static PointData Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsName(name)) throw new ArgumentException($"unknown digits split '{name}'; choose {string.Join(", ", Names)}.", nameof(name));
        var (pixels, labels) = Raw.Value;
        var heldOut = HeldOutMask(labels);
        var rows = Enumerable.Range(0, labels.Length).Where(r => name == AllName || heldOut[r] == (name == HeldOutName)).ToArray();
        const int d = 64;
        var x = new double[rows.Length * d];
        var y = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            for (int j = 0; j < d; j++) x[k * d + j] = pixels[rows[k] * d + j] / 8.0 - 1;
            y[k] = labels[rows[k]];
        }
        return new PointData(name, x, d, y, 10) { Image = Shape };
    }

    /// <summary>Which rows of the file are held out (the first <see cref="HeldOutPerClass"/> of each class by the Philox key).</summary>
    static bool[] HeldOutMask(int[] labels)
    {
        var uniforms = new PhiloxUniforms(SplitSeed);
        var mask = new bool[labels.Length];
        for (int c = 0; c < 10; c++)
        {
            var chosen = Enumerable.Range(0, labels.Length).Where(r => labels[r] == c)
                .OrderBy(r => uniforms.Draw(0, (ulong)r)).ThenBy(r => r).Take(HeldOutPerClass);
            foreach (int r in chosen) mask[r] = true;
        }
        return mask;
    }

    static (byte[] Pixels, int[] Labels) ReadEmbedded()
    {
        const string resource = "Drift.Generative.Training.digits.csv.gz";
        using var stream = typeof(Digits).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded resource '{resource}' is missing from {typeof(Digits).Assembly.GetName().Name}.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var pixels = new byte[TotalCount * 64];
        var labels = new int[TotalCount];
        int row = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (row >= TotalCount || fields.Length != 65)
                throw new InvalidDataException($"{resource}:{row + 1}: expected {TotalCount} lines of 65 fields.");
            for (int j = 0; j < 65; j++)
            {
                if (!int.TryParse(fields[j], NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v > (j < 64 ? 16 : 9))
                    throw new InvalidDataException($"{resource}:{row + 1}: field {j + 1} '{fields[j]}' is out of range.");
                if (j < 64) pixels[row * 64 + j] = (byte)v;
                else labels[row] = v;
            }
            row++;
        }
        if (row != TotalCount) throw new InvalidDataException($"{resource}: {row} rows, expected {TotalCount}.");
        return (pixels, labels);
    }
}
