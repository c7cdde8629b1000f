using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Drift.Ensembles;

namespace Drift.Cli.Output;

/// <summary>
/// Every path at every saved time as a NumPy <c>.npy</c> file (format 1.0): little-endian float64 of shape
/// (saves, paths, components), C order, NaN after divergence; <c>numpy.load</c> reads it directly.
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
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({saves}, {paths}, {components}), }}");
        int total = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        Span<byte> prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0, 0];
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var row = new byte[8 * components];
        for (int s = 0; s < saves; s++)
            for (long p = solution.FirstPath; p < solution.FirstPath + paths; p++)
            {
                for (int i = 0; i < components; i++) BinaryPrimitives.WriteDoubleLittleEndian(row.AsSpan(8 * i), solution.Path(s, i, p));
                stream.Write(row);
            }
    }
}
