using System.Globalization;

namespace Drift.Transport.IO;

/// <summary>
/// Reads point clouds (one point per row, one coordinate per column, uniform weights) from CSV text or NumPy <c>.npy</c>
/// files, and weight vectors from either. CSV: comma-separated invariant-culture numbers; blank lines and lines starting
/// with '#' are skipped; a first line that is not numeric is taken as a header. Errors name the file, line and column.
/// </summary>
public static class PointCloudReader
{
    /// <summary>Reads by extension: <c>.npy</c> as NumPy, anything else as CSV.</summary>
    public static PointCloud Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? ReadNpy(path) : ReadCsv(path);
    }

    /// <summary>Reads an n × d float64 C-order array (a vector is read as n points in 1-D).</summary>
    public static PointCloud ReadNpy(string path)
    {
        var arr = NpyArray.Read(path);
        int d = arr.Shape.Length == 2 ? arr.Shape[1] : 1;
        if (arr.Data.Length == 0 || d == 0) throw new InvalidDataException($"{path}: the array is empty.");
        return Build(arr.Data, d, path);
    }

    /// <summary>Reads a CSV file of n rows with d numbers each.</summary>
    public static PointCloud ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        return ReadCsv(reader, path);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names the input in error messages.</summary>
    /// <exception cref="InvalidDataException">A malformed number, ragged rows, no data, or a non-finite value.</exception>
    public static PointCloud ReadCsv(TextReader reader, string source = "input")
    {
        var (data, d) = ParseCsv(reader, source);
        return Build(data, d, source);
    }

    /// <summary>Reads a weight vector from .npy (any shape, flattened) or CSV (all numbers in file order).</summary>
    public static double[] ReadWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return NpyArray.Read(path).Data;
        using var reader = new StreamReader(path);
        return ParseCsv(reader, path).Data;
    }

    private static PointCloud Build(double[] data, int d, string source)
    {
        for (int k = 0; k < data.Length; k++)
        {
            if (!double.IsFinite(data[k]))
                throw new InvalidDataException($"{source}: point {k / d}, coordinate {k % d} is {data[k]}; coordinates must be finite.");
        }
        return new PointCloud(data, d);
    }

    private static (double[] Data, int Columns) ParseCsv(TextReader reader, string source)
    {
        var values = new List<double>();
        int columns = -1, lineNo = 0;
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#') continue;
            var parts = t.Split(',');
            if (first)
            {
                first = false;
                if (!double.TryParse(parts[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue;
            }
            if (columns < 0) columns = parts.Length;
            else if (parts.Length != columns)
                throw new InvalidDataException($"{source}:{lineNo}: {parts.Length} columns, expected {columns}.");
            for (int k = 0; k < parts.Length; k++)
            {
                if (!double.TryParse(parts[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                    throw new InvalidDataException($"{source}:{lineNo}: column {k + 1} '{parts[k].Trim()}' is not a number.");
                values.Add(x);
            }
        }
        if (columns <= 0 || values.Count == 0) throw new InvalidDataException($"{source}: no data rows.");
        return ([.. values], columns);
    }
}
