namespace Drift.Generative.Training;

/// <summary>A point data set: rows × d coordinates (row-major) and optional class labels.</summary>
/// <param name="Name">Where it came from (a built-in name or a file path).</param>
/// <param name="Points">Coordinates, row r at [r·d, (r + 1)·d).</param>
/// <param name="Dimension">d.</param>
/// <param name="Labels">A class per row, or null.</param>
/// <param name="Classes">Number of classes (0 when unlabelled).</param>
public sealed record PointData(string Name, double[] Points, int Dimension, int[]? Labels, int Classes)
{
    /// <summary>Rows.</summary>
    public int Count => Points.Length / Dimension;

    /// <summary>The image layout of each row when the points are images (its <see cref="ImageShape.Size"/> is <see cref="Dimension"/>), else null.</summary>
    public ImageShape? Image { get; init; }

    /// <summary>The root-mean-square standard deviation of the coordinates (σ_data of EDM).</summary>
    public double StandardDeviation()
    {
        int n = Count, d = Dimension;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0, m2 = 0;
            for (int r = 0; r < n; r++)
            {
                double v = Points[r * d + j], delta = v - mean;
                mean += delta / (r + 1);
                m2 += delta * (v - mean);
            }
            total += m2 / Math.Max(1, n - 1);
        }
        return Math.Sqrt(total / d);
    }
}
