namespace Drift.Solve.Adaptive;

/// <summary>Growable storage of saved (time, state) pairs; grows by doubling, so saving every step is amortised O(1).</summary>
internal sealed class SaveBuffer(int dimension, int capacity)
{
    public double[] Times { get; private set; } = new double[Math.Max(capacity, 1)];
    public double[] States { get; private set; } = new double[Math.Max(capacity, 1) * dimension];
    public int Count { get; private set; }
    public double LastTime => Count > 0 ? Times[Count - 1] : double.NaN;

    /// <summary>Appends (t, state) and returns the stored row, so a caller may overwrite it (dense output).</summary>
    public Span<double> Add(double t, ReadOnlySpan<double> state)
    {
        if (Count == Times.Length)
        {
            var times = Times;
            var states = States;
            Array.Resize(ref times, 2 * Count);
            Array.Resize(ref states, 2 * Count * dimension);
            Times = times;
            States = states;
        }
        Times[Count] = t;
        var row = States.AsSpan(Count * dimension, dimension);
        state.CopyTo(row);
        Count++;
        return row;
    }
}
