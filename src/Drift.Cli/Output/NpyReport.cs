using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Drift.Ensembles;
using Drift.Sampling;

namespace Drift.Cli.Output;

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0, little-endian float64, C order) that <c>numpy.load</c> reads directly: every path
/// at every saved time, shape (saves, paths, components), NaN after divergence; a sample matrix, shape (rows, columns);
/// or MCMC draws, shape (chains·draws, columns).
/// </summary>
public static class NpyReport
{
    /// <summary>Writes the array to <paramref name="stream"/>.</summary>
    public static void WritePaths(Stream stream, int components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(solution);
        int saves = solution.Times.Length;
        long paths = solution.PathCount;
        WriteHeader(stream, string.Create(CultureInfo.InvariantCulture, $"({saves}, {paths}, {components})"));
        var row = new byte[8 * components];
        for (int s = 0; s < saves; s++)
            for (long p = solution.FirstPath; p < solution.FirstPath + paths; p++)
            {
                for (int i = 0; i < components; i++) BinaryPrimitives.WriteDoubleLittleEndian(row.AsSpan(8 * i), solution.Path(s, i, p));
                stream.Write(row);
            }
    }

    /// <summary>Writes <paramref name="rows"/> × <paramref name="columns"/> values (row-major) as a 2-D array.</summary>
    /// <exception cref="ArgumentException">The values are not rows × columns.</exception>
    public static void WriteMatrix(Stream stream, ReadOnlySpan<double> values, long rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != rows * columns) throw new ArgumentException($"{values.Length} values are not {rows} × {columns}.", nameof(values));
        WriteHeader(stream, string.Create(CultureInfo.InvariantCulture, $"({rows}, {columns})"));
        var buffer = new byte[8 * Math.Max(columns, 1)];
        for (long r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * j), values[(int)(r * columns + j)]);
            stream.Write(buffer, 0, 8 * columns);
        }
    }

    /// <summary>
    /// MCMC draws as a 2-D array of shape (chains·draws, columns), rows chain-major (chain 1's draws 1…n, then chain 2's),
    /// columns <see cref="McmcResult.Columns"/> as numbers (<see cref="McmcResult.CopyRow"/>: chain and draw 1-based,
    /// divergent 1/0). A .npy array has no column names: <see cref="ColumnsSidecar"/> names the file that lists them.
    /// </summary>
    public static void WriteDraws(Stream stream, McmcResult result)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(result);
        int columns = result.Columns.Count;
        long rows = (long)result.Chains * result.DrawsPerChain;
        WriteHeader(stream, string.Create(CultureInfo.InvariantCulture, $"({rows}, {columns})"));
        var values = new double[columns];
        var buffer = new byte[8 * columns];
        for (int c = 0; c < result.Chains; c++)
            for (int t = 0; t < result.DrawsPerChain; t++)
            {
                result.CopyRow(c, t, values);
                for (int j = 0; j < columns; j++) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * j), values[j]);
                stream.Write(buffer);
            }
    }

    /// <summary>The sidecar of a draws array FILE.npy: FILE.npy.columns, one column name per line, in column order.</summary>
    public static string ColumnsSidecar(string npyPath) => npyPath + ".columns";

    /// <summary>The magic, version 1.0, and the header dictionary padded with spaces so the data start at a multiple of 64 bytes.</summary>
    static void WriteHeader(Stream stream, string shape)
    {
        string dict = $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        Span<byte> prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0, 0];
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }
}
