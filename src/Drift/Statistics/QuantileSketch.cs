namespace Drift.Statistics;

/// <summary>
/// A mergeable quantile sketch with relative error at most 2⁻⁹ (0.2 %): values are counted in
/// buckets given by their sign, exponent and top 8 mantissa bits, and a quantile is reported as
/// the midpoint of the bucket that holds it (clamped to the exact minimum and maximum).
/// </summary>
/// <remarks>
/// Counts are integers, so merging is exact and order-free: sketches of shards or threads merge into
/// exactly the sketch of the whole run. Memory grows with the number of binades the data spans
/// (2 KiB each), not with the number of values. Non-finite values are rejected.
/// </remarks>
public sealed class QuantileSketch
{
    private const int MantissaBits = 8;
    private const int Shift = 52 - MantissaBits;
    private const int PageBits = MantissaBits;
    private const int PageSize = 1 << PageBits;
    private const int KeyCount = 1 << (12 + MantissaBits);
    private readonly long[]?[] _pages = new long[]?[KeyCount >> PageBits];

    /// <summary>Values counted.</summary>
    public long Count { get; private set; }

    /// <summary>Exact minimum (+∞ when empty).</summary>
    public double Min { get; private set; } = double.PositiveInfinity;

    /// <summary>Exact maximum (−∞ when empty).</summary>
    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Counts one value.</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public void Add(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"cannot sketch the non-finite value {value}.", nameof(value));
        int key = (int)(BitConverter.DoubleToUInt64Bits(value) >> Shift);
        (_pages[key >> PageBits] ??= new long[PageSize])[key & (PageSize - 1)]++;
        Count++;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
    }

    /// <summary>Counts every value of a span.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        foreach (double v in values) Add(v);
    }

    /// <summary>Adds another sketch's counts to this one.</summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int p = 0; p < _pages.Length; p++)
        {
            var src = other._pages[p];
            if (src is null) continue;
            var dst = _pages[p] ??= new long[PageSize];
            for (int i = 0; i < PageSize; i++) dst[i] += src[i];
        }
        Count += other.Count;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The non-empty buckets in increasing key order (for serialisation): key and count.</summary>
    internal IEnumerable<(int Key, long Count)> Buckets()
    {
        for (int p = 0; p < _pages.Length; p++)
        {
            var counts = _pages[p];
            if (counts is null) continue;
            for (int i = 0; i < PageSize; i++)
                if (counts[i] != 0) yield return ((p << PageBits) + i, counts[i]);
        }
    }

    /// <summary>Rebuilds a sketch from <see cref="Buckets"/>, its count and exact extremes.</summary>
    /// <exception cref="ArgumentException">A key lies outside the sketch, a count is not positive, or the counts do not add up.</exception>
    internal static QuantileSketch FromBuckets(IEnumerable<(int Key, long Count)> buckets, long count, double min, double max)
    {
        var sketch = new QuantileSketch();
        long total = 0;
        foreach (var (key, n) in buckets)
        {
            if ((uint)key >= KeyCount || n <= 0) throw new ArgumentException($"bucket {key} with count {n} is not a bucket of a quantile sketch.", nameof(buckets));
            (sketch._pages[key >> PageBits] ??= new long[PageSize])[key & (PageSize - 1)] += n;
            total += n;
        }
        if (total != count) throw new ArgumentException($"the buckets hold {total} values but the sketch claims {count}.", nameof(count));
        sketch.Count = count;
        sketch.Min = min;
        sketch.Max = max;
        return sketch;
    }

    /// <summary>The q-quantile (value of rank ⌊q·(n − 1)⌋ in sorted order), within 0.2 % relative error.</summary>
    /// <param name="q">Probability in [0, 1].</param>
    /// <returns>The estimate; NaN when the sketch is empty.</returns>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile probability must lie in [0, 1].");
        if (Count == 0) return double.NaN;
        long rank = (long)Math.Floor(q * (Count - 1));
        long seen = 0;
        // Negative values have the sign bit set and larger keys are more negative, so walk their pages
        // (and keys within a page) downward, then the non-negative pages upward; empty pages are skipped.
        int pages = _pages.Length, half = pages / 2;
        for (int page = pages - 1; page >= half; page--)
        {
            var counts = _pages[page];
            if (counts is null) continue;
            for (int i = PageSize - 1; i >= 0; i--)
                if ((seen += counts[i]) > rank) return Representative((page << PageBits) + i);
        }
        for (int page = 0; page < half; page++)
        {
            var counts = _pages[page];
            if (counts is null) continue;
            for (int i = 0; i < PageSize; i++)
                if ((seen += counts[i]) > rank) return Representative((page << PageBits) + i);
        }
        return Max;
    }

    private double Representative(int key)
    {
        // The buckets of +0 and −0 also hold subnormals below 2⁻¹⁰³⁰; report them as zero, not as a subnormal midpoint
        // (integer-valued data such as molecule counts would otherwise print 4.3E-311 for a quantile that is 0).
        if (key == 0 || key == 1 << (11 + MantissaBits)) return Math.Clamp(0.0, Min, Max);
        double lo = BitConverter.UInt64BitsToDouble((ulong)key << Shift);
        double hi = BitConverter.UInt64BitsToDouble(((ulong)key << Shift) | ((1UL << Shift) - 1));
        return Math.Clamp(0.5 * (lo + hi), Min, Max);
    }
}
