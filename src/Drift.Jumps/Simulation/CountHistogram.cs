namespace Drift.Jumps.Simulation;

/// <summary>
/// An exact histogram of non-negative integer counts: how many runs had count k, for every k. Merging two histograms
/// adds their bins, so shards and threads combine exactly in any order.
/// </summary>
public sealed class CountHistogram
{
    private long[] _bins = new long[16];

    /// <summary>Number of values added.</summary>
    public long Total { get; private set; }

    /// <summary>One more than the largest value added (0 when empty): bins 0..Length−1 hold everything.</summary>
    public long Length { get; private set; }

    /// <summary>Adds one occurrence of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 2³⁰.</exception>
    public void Add(long value)
    {
        if ((ulong)value > 1 << 30) throw new ArgumentOutOfRangeException(nameof(value), value, "histogram counts must lie in 0..2^30.");
        if (value >= _bins.Length) Array.Resize(ref _bins, (int)Math.Max(value + 1, 2L * _bins.Length));
        _bins[value]++;
        Total++;
        if (value >= Length) Length = value + 1;
    }

    /// <summary>Runs whose count was <paramref name="value"/>.</summary>
    public long this[long value] => value >= 0 && value < Length ? _bins[value] : 0;

    /// <summary>Empirical probability of <paramref name="value"/>.</summary>
    public double Probability(long value) => Total == 0 ? double.NaN : (double)this[value] / Total;

    /// <summary>The counts of bins 0 … <see cref="Length"/> − 1 (for state files).</summary>
    internal ReadOnlySpan<long> Bins => _bins.AsSpan(0, (int)Length);

    /// <summary>A histogram with the given bin counts (non-negative; read back from a state file).</summary>
    /// <exception cref="FormatException">A negative count.</exception>
    internal static CountHistogram FromBins(long[] bins)
    {
        var h = new CountHistogram();
        if (bins.Length > h._bins.Length) h._bins = new long[bins.Length];
        for (int k = 0; k < bins.Length; k++)
        {
            if (bins[k] < 0) throw new FormatException($"histogram bin {k} holds {bins[k]} runs");
            h._bins[k] = bins[k];
            h.Total += bins[k];
            if (bins[k] > 0) h.Length = k + 1;
        }
        return h;
    }

    /// <summary>Adds the bins of <paramref name="other"/> to this one.</summary>
    public void Merge(CountHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Length > _bins.Length) Array.Resize(ref _bins, (int)other.Length);
        for (long k = 0; k < other.Length; k++) _bins[k] += other._bins[k];
        Total += other.Total;
        Length = Math.Max(Length, other.Length);
    }
}
