using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Drift.Transport.IO;

/// <summary>
/// A float64 array read from a NumPy <c>.npy</c> file (format versions 1.0–3.0, dtype <c>&lt;f8</c>, C order, 1-D or 2-D).
/// Other dtypes, Fortran order and higher ranks are rejected with an <see cref="InvalidDataException"/> saying which.
/// </summary>
public sealed partial class NpyArray
{
    private NpyArray(double[] data, int[] shape)
    {
        Data = data;
        Shape = shape;
    }

    /// <summary>Elements in C (row-major) order.</summary>
    public double[] Data { get; }

    /// <summary>The shape: one entry for a vector, two (rows, columns) for a matrix.</summary>
    public int[] Shape { get; }

    /// <summary>Reads an array from a file.</summary>
    public static NpyArray Read(string path)
    {
        using var s = File.OpenRead(path);
        return Read(s);
    }

    /// <summary>Reads an array from a stream positioned at the magic string.</summary>
    /// <exception cref="InvalidDataException">Not an .npy stream, or an unsupported dtype, order or rank, or truncated data.</exception>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[8];
        stream.ReadExactly(head);
        if (head[0] != 0x93 || Encoding.ASCII.GetString(head.Slice(1, 5)) != "NUMPY")
            throw new InvalidDataException("Not an .npy file: the magic string \\x93NUMPY is missing.");
        int major = head[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            stream.ReadExactly(len);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            stream.ReadExactly(len);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(len));
        }
        else
        {
            throw new InvalidDataException($"Unsupported .npy format version {major}.{head[7]}.");
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = Encoding.UTF8.GetString(headerBytes);
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value is not ("<f8" or "f8" or "=f8"))
            throw new InvalidDataException($"Unsupported dtype {(descr.Success ? descr.Groups[1].Value : "(none)")}: only little-endian float64 ('<f8') is read.");
        if (FortranPattern().IsMatch(header))
            throw new InvalidDataException("Fortran-ordered arrays are not supported; save with np.ascontiguousarray.");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException("The .npy header has no shape.");
        int[] shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        if (shape.Length is < 1 or > 2)
            throw new InvalidDataException($"Arrays of rank {shape.Length} are not supported; expected a vector or a matrix.");
        long count = shape.Aggregate(1L, (x, y) => x * y);
        var data = new double[count];
        var bytes = new byte[count * sizeof(double)];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The .npy data is truncated: expected {count} float64 values.", e);
        }
        for (long k = 0; k < count; k++) data[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(k * 8), 8));
        return new NpyArray(data, shape);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
