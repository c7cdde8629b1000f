namespace Drift.Transport.Plans;

/// <summary>A transport plan stored densely, row-major (the output of the entropic solvers).</summary>
public sealed class DenseTransportPlan : TransportPlan
{
    /// <summary>Wraps row-major <paramref name="values"/> (not copied) of length rows × columns.</summary>
    public DenseTransportPlan(double[] values, int rows, int columns) : base(rows, columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"values has length {values.Length} but rows × columns = {(long)rows * columns}.", nameof(values));
        Values = values;
    }

    /// <summary>Row-major entries Pᵢⱼ = <c>Values[i * Columns + j]</c>.</summary>
    public double[] Values { get; }

    /// <inheritdoc />
    public override double this[int i, int j] => Values[i * Columns + j];

    /// <inheritdoc />
    public override int StoredCount => Values.Length;

    /// <inheritdoc />
    public override double[] ToDense() => (double[])Values.Clone();

    /// <inheritdoc />
    public override IEnumerable<PlanEntry> Entries()
    {
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                double p = Values[i * Columns + j];
                if (p != 0) yield return new PlanEntry(i, j, p);
            }
        }
    }
}
