using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Drift.IO;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0–3.0; see numpy.lib.format): dtype little-endian float64
/// (<c>&lt;f8</c>), C order, 1-D or 2-D. Everything else — another dtype, Fortran order, another rank, a negative
/// or absurd shape (more elements than the file holds, or than an array can), a truncated header or body, a NaN or
/// ±∞ element — is refused with an <see cref="InvalidDataException"/> whose one-line message starts with the source
/// name and says what is wrong (and, for a non-finite value, at which row and column).
/// </summary>
public static partial class NpyReader
{
    /// <summary>Headers longer than this are refused as corrupt (NumPy writes 118 bytes or so for a 2-D array).</summary>
    private const int MaxHeaderLength = 1 << 16;

    /// <summary>Reads an array from a file.</summary>
    /// <exception cref="InvalidDataException">See the class remarks.</exception>
    public static NumericArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var s = File.OpenRead(path);
        return Read(s, path);
    }

    /// <summary>Reads an array from a stream positioned at the magic string; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">See the class remarks.</exception>
    public static NumericArray Read(Stream stream, string source = "input")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[8];
        Fill(stream, head, source, "the preamble");
        if (head[0] != 0x93 || Encoding.ASCII.GetString(head.Slice(1, 5)) != "NUMPY")
            throw new InvalidDataException($"{source}: not an .npy file (the magic string \\x93NUMPY is missing).");
        int major = head[6];
        long headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            Fill(stream, len, source, "the header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            Fill(stream, len, source, "the header length");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(len);
        }
        else
        {
            throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{head[7]}.");
        }
        if (headerLength > MaxHeaderLength) throw new InvalidDataException($"{source}: the .npy header claims {headerLength} bytes; the file is corrupt.");
        var headerBytes = new byte[headerLength];
        Fill(stream, headerBytes, source, "the header");
        string header = Encoding.UTF8.GetString(headerBytes);
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value is not ("<f8" or "f8" or "=f8"))
            throw new InvalidDataException($"{source}: unsupported dtype {(descr.Success ? descr.Groups[1].Value : "(none)")}: only little-endian float64 ('<f8') is read.");
        if (FortranPattern().IsMatch(header))
            throw new InvalidDataException($"{source}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray.");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{source}: the .npy header has no shape.");
        var parts = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2)
            throw new InvalidDataException($"{source}: arrays of rank {parts.Length} are not supported; expected a vector or a matrix.");
        var shape = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
            if (!int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out shape[k]))
                throw new InvalidDataException($"{source}: shape extent '{parts[k]}' is not a non-negative 32-bit integer.");
        long count = shape.Aggregate(1L, (x, y) => x * y);
        if (count > Array.MaxLength)
            throw new InvalidDataException($"{source}: shape ({string.Join(", ", shape)}) has {count} elements, more than an array can hold.");
        if (stream.CanSeek && stream.Length - stream.Position < count * sizeof(double))
            throw new InvalidDataException($"{source}: the .npy data is truncated: shape ({string.Join(", ", shape)}) needs {count} float64 values, the file holds {(stream.Length - stream.Position) / sizeof(double)}.");
        var bytes = new byte[count * sizeof(double)];
        Fill(stream, bytes, source, $"the data ({count} float64 values)");
        var data = new double[count];
        int columns = shape.Length == 2 ? shape[1] : 1;
        for (int k = 0; k < data.Length; k++)
        {
            double v = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(k * sizeof(double), sizeof(double)));
            if (!double.IsFinite(v))
                throw new InvalidDataException($"{source}: row {k / columns}, column {k % columns} is {v.ToString(CultureInfo.InvariantCulture)}; values must be finite.");
            data[k] = v;
        }
        return new NumericArray(data, shape);
    }

    private static void Fill(Stream stream, Span<byte> buffer, string source, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{source}: the .npy file is truncated in {what}.");
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
