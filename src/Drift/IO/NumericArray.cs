namespace Drift.IO;

/// <summary>
/// A float64 array read from a file by <see cref="NpyReader"/> or <see cref="CsvReader"/>: the elements in C
/// (row-major) order and the shape — one entry for a vector, two (rows, columns) for a matrix. Every element is
/// finite: the readers refuse NaN and ±∞.
/// </summary>
public sealed class NumericArray
{
    /// <summary>Wraps data of the given shape (the product of the shape must equal the data length).</summary>
    /// <exception cref="ArgumentException">When the shape is not one or two non-negative extents whose product is the length.</exception>
    public NumericArray(double[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is < 1 or > 2 || shape.Any(s => s < 0) || shape.Aggregate(1L, (x, y) => x * y) != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not describe {data.Length} elements as a vector or a matrix.", nameof(shape));
        Data = data;
        Shape = shape;
    }

    /// <summary>Elements in C (row-major) order.</summary>
    public double[] Data { get; }

    /// <summary>The shape: one entry for a vector, two (rows, columns) for a matrix.</summary>
    public int[] Shape { get; }

    /// <summary>Rows: the length of a vector, the first extent of a matrix.</summary>
    public int Rows => Shape[0];

    /// <summary>Columns: 1 for a vector, the second extent of a matrix.</summary>
    public int Columns => Shape.Length == 2 ? Shape[1] : 1;
}
