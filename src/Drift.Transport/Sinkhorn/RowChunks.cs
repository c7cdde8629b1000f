namespace Drift.Transport.Sinkhorn;

/// <summary>
/// A fixed partition of n rows into chunks, each with its own column accumulator of length m. The partition depends
/// only on n (never on the thread count) and accumulators are reduced in chunk order, so sweeps are bit-identical
/// whatever the degree of parallelism.
/// </summary>
internal sealed class RowChunks
{
    private readonly ParallelOptions options;

    public RowChunks(int n, int m, int parallelism)
    {
        Count = Math.Clamp(n / 32, 1, 16);
        Start = new int[Count + 1];
        for (int c = 0; c <= Count; c++) Start[c] = (int)((long)n * c / Count);
        Accumulators = new double[Count][];
        Buffers = new double[Count][];
        for (int c = 0; c < Count; c++)
        {
            Accumulators[c] = new double[m];
            Buffers[c] = new double[m];
        }
        Parallel = parallelism > 1 && (long)n * m >= 1 << 15 && Count > 1;
        options = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
    }

    public int Count { get; }

    public int[] Start { get; }

    public double[][] Accumulators { get; }

    public double[][] Buffers { get; }

    public bool Parallel { get; }

    /// <summary>Runs <paramref name="body"/> for every chunk index, in parallel when worthwhile.</summary>
    public void Run(Action<int> body)
    {
        if (Parallel) System.Threading.Tasks.Parallel.For(0, Count, options, body);
        else for (int c = 0; c < Count; c++) body(c);
    }

    /// <summary>Sums the chunk accumulators (in chunk order) into <paramref name="total"/>.</summary>
    public void Reduce(Span<double> total)
    {
        Accumulators[0].CopyTo(total);
        for (int c = 1; c < Count; c++)
        {
            var acc = Accumulators[c];
            for (int j = 0; j < total.Length; j++) total[j] += acc[j];
        }
    }
}
