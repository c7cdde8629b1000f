namespace Drift.Transport;

/// <summary>
/// A weighted point cloud: <see cref="Count"/> points in ℝ^<see cref="Dimension"/>, stored row-major
/// (coordinate k of point i is <c>Coordinates[i * Dimension + k]</c>), with non-negative weights.
/// </summary>
public sealed class PointCloud
{
    /// <summary>Wraps coordinates (row-major, length count × dimension) and optional weights (uniform 1/count when null).</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="dimension"/>, a coordinate is not finite,
    /// or a weight is negative or not finite.</exception>
    public PointCloud(double[] coordinates, int dimension, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        Guard.Positive(dimension, nameof(dimension));
        if (coordinates.Length == 0 || coordinates.Length % dimension != 0)
            throw new ArgumentException($"coordinates has length {coordinates.Length}, which is not a positive multiple of dimension {dimension}.", nameof(coordinates));
        for (int i = 0; i < coordinates.Length; i++)
        {
            if (!double.IsFinite(coordinates[i]))
                throw new ArgumentException($"coordinates[{i}] (point {i / dimension}, axis {i % dimension}) = {coordinates[i]} is not finite.", nameof(coordinates));
        }
        Coordinates = coordinates;
        Dimension = dimension;
        Count = coordinates.Length / dimension;
        if (weights is null)
        {
            weights = new double[Count];
            Array.Fill(weights, 1.0 / Count);
        }
        else
        {
            if (weights.Length != Count)
                throw new ArgumentException($"weights has length {weights.Length} but there are {Count} points.", nameof(weights));
            Guard.Weights(weights, nameof(weights));
        }
        Weights = weights;
    }

    /// <summary>Row-major coordinates, length <see cref="Count"/> × <see cref="Dimension"/>.</summary>
    public double[] Coordinates { get; }

    /// <summary>Point weights (masses), length <see cref="Count"/>.</summary>
    public double[] Weights { get; }

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>Dimension of the ambient space.</summary>
    public int Dimension { get; }

    /// <summary>Total mass Σᵢ wᵢ.</summary>
    public double Mass => Weights.Sum();

    /// <summary>Coordinates of point <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Point(int i) => Coordinates.AsSpan(i * Dimension, Dimension);
}
