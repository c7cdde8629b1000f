using Drift.Numerics;

namespace Drift.Transport;

/// <summary>
/// A dense cost matrix C ∈ ℝ^{n×m}, row-major (Cᵢⱼ = <c>Values[i * Columns + j]</c>), every entry finite.
/// Entries may be negative; the transport plan is invariant to adding a constant.
/// </summary>
public sealed class CostMatrix
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as an n × m matrix.</summary>
    /// <exception cref="ArgumentException">Wrong length, non-positive size, or a NaN or infinite entry (named with its row and column).</exception>
    public CostMatrix(double[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"values has length {values.Length} but rows × columns = {(long)rows * columns}.", nameof(values));
        for (int k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k]))
                throw new ArgumentException($"cost[{k / columns}, {k % columns}] = {values[k]} is not finite.", nameof(values));
        }
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Row-major entries.</summary>
    public double[] Values { get; }

    /// <summary>Number of rows n (source points).</summary>
    public int Rows { get; }

    /// <summary>Number of columns m (target points).</summary>
    public int Columns { get; }

    /// <summary>Entry Cᵢⱼ.</summary>
    public double this[int i, int j] => Values[i * Columns + j];

    /// <summary>Row i as a span.</summary>
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Columns, Columns);

    /// <summary>max over i, j of Cᵢⱼ.</summary>
    public double Max() => Values.Max();

    /// <summary>min over i, j of Cᵢⱼ.</summary>
    public double Min() => Values.Min();

    /// <summary>A new matrix s·C.</summary>
    public CostMatrix Scale(double s)
    {
        if (!double.IsFinite(s)) throw new ArgumentException($"The scale must be finite, got {s}.", nameof(s));
        var v = new double[Values.Length];
        for (int k = 0; k < v.Length; k++) v[k] = s * Values[k];
        return new CostMatrix(v, Rows, Columns);
    }

    /// <summary>C / max C (the usual normalisation, so that ε is relative to the largest cost). Requires max C &gt; 0.</summary>
    public CostMatrix NormalizeByMax()
    {
        double max = Max();
        if (!(max > 0)) throw new InvalidOperationException($"The largest cost is {max}; normalising by it needs a positive value.");
        return Scale(1 / max);
    }

    /// <summary>Cᵢⱼ = cost(i, j) for i &lt; rows, j &lt; columns.</summary>
    public static CostMatrix FromFunction(int rows, int columns, Func<int, int, double> cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        var v = new double[(long)rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) v[i * columns + j] = cost(i, j);
        return new CostMatrix(v, rows, columns);
    }

    /// <summary>Cᵢⱼ = c(xᵢ, yⱼ) for the given ground cost between the points of two clouds of equal dimension.</summary>
    public static CostMatrix FromPoints(PointCloud x, PointCloud y, GroundCost cost = GroundCost.SquaredEuclidean)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Dimension != y.Dimension)
            throw new ArgumentException($"y has dimension {y.Dimension} but x has {x.Dimension}.", nameof(y));
        var v = new double[(long)x.Count * y.Count];
        Fill(x.Coordinates, y.Coordinates, x.Count, y.Count, x.Dimension, cost, v);
        return new CostMatrix(v, x.Count, y.Count);
    }

    /// <summary>Writes c(xᵢ, yⱼ) into <paramref name="destination"/> (row-major n × m) from row-major coordinates.</summary>
    internal static void Fill(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int n, int m, int d, GroundCost cost, Span<double> destination)
    {
        if (cost == GroundCost.SquaredEuclidean)
        {
            SquaredEuclidean(x, y, n, m, d, destination);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * d, d);
            var row = destination.Slice(i * m, m);
            for (int j = 0; j < m; j++)
            {
                var yj = y.Slice(j * d, d);
                double s = 0;
                if (cost == GroundCost.Euclidean)
                {
                    for (int k = 0; k < d; k++) { double t = xi[k] - yj[k]; s += t * t; }
                    s = Math.Sqrt(s);
                }
                else
                {
                    for (int k = 0; k < d; k++) s += Math.Abs(xi[k] - yj[k]);
                }
                row[j] = s;
            }
        }
    }

    /// <summary>‖xᵢ − yⱼ‖² computed directly as Σₖ (xᵢₖ − yⱼₖ)², vectorised across j with y transposed per coordinate.</summary>
    private static void SquaredEuclidean(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int n, int m, int d, Span<double> destination)
    {
        var yt = new double[d * m];
        for (int j = 0; j < m; j++)
            for (int k = 0; k < d; k++) yt[k * m + j] = y[j * d + k];
        for (int i = 0; i < n; i++)
        {
            var row = destination.Slice(i * m, m);
            row.Clear();
            for (int k = 0; k < d; k++)
            {
                // rowⱼ ← rowⱼ + (xₖ − yⱼₖ)², every width through the core lanes (exact IEEE operations: the same bits at every width).
                Elementwise.Map(new AddSquaredDifference(x[i * d + k]), row, yt.AsSpan(k * m, m), row);
            }
        }
    }

    /// <summary>r + (x − c)² per lane (multiply and add rounded separately).</summary>
    private readonly struct AddSquaredDifference(double x) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD r, TD c) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        {
            TD t = TL.Subtract(TL.Broadcast(x), c);
            return TL.Add(r, TL.Multiply(t, t));
        }
    }
}
