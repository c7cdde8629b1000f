namespace Drift.Sampling;

/// <summary>What every multi-chain sampler shares: running the chains in parallel and reading chain-major draws.</summary>
internal static class ChainRuns
{
    /// <summary>Runs <paramref name="chain"/>(c) for c = 0 … chains − 1 on at most <paramref name="threads"/> threads
    /// (0: one per core), rethrowing the first chain's exception as itself rather than an AggregateException.</summary>
    public static void ForEachChain(int chains, int threads, Action<int> chain, CancellationToken token)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads, CancellationToken = token };
        try
        {
            Parallel.For(0, chains, parallel, chain);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>f(θ) over chain-major draws (<paramref name="draws"/>[((c·perChain) + k)·d + i]), one array per chain.</summary>
    public static double[][] Function(double[] draws, int chains, int perChain, int dimension, Func<ReadOnlySpan<double>, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var result = new double[chains][];
        for (int c = 0; c < chains; c++)
        {
            result[c] = new double[perChain];
            for (int k = 0; k < perChain; k++) result[c][k] = f(draws.AsSpan((c * perChain + k) * dimension, dimension));
        }
        return result;
    }
}
