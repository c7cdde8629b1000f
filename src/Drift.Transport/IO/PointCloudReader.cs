using Drift.IO;

namespace Drift.Transport.IO;

/// <summary>
/// Reads point clouds (one point per row, one coordinate per column, uniform weights) and weight vectors from CSV
/// text or NumPy <c>.npy</c> files, through the core readers <see cref="CsvReader"/> and <see cref="NpyReader"/>
/// (whose rules apply: file:line errors, finite values only, no ragged or empty input).
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
    public static PointCloud ReadNpy(string path) => Build(NpyReader.Read(path), path);

    /// <summary>Reads a CSV file of n rows with d numbers each.</summary>
    public static PointCloud ReadCsv(string path) => Build(CsvReader.Read(path), path);

    /// <summary>Reads CSV text; <paramref name="source"/> names the input in error messages.</summary>
    /// <exception cref="InvalidDataException">A malformed number, ragged rows, no data, or a non-finite value.</exception>
    public static PointCloud ReadCsv(TextReader reader, string source = "input") => Build(CsvReader.Read(reader, source), source);

    /// <summary>Reads a weight vector from .npy (any shape, flattened) or CSV (all numbers in file order).</summary>
    public static double[] ReadWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyReader.Read(path) : CsvReader.Read(path)).Data;
    }

    private static PointCloud Build(NumericArray array, string source)
    {
        if (array.Data.Length == 0 || array.Columns == 0) throw new InvalidDataException($"{source}: the array is empty.");
        return new PointCloud(array.Data, array.Columns);
    }
}
