using System.Runtime.ExceptionServices;

namespace Drift.Ensembles;

/// <summary>
/// Runs chunk indices 0 … chunks − 1 on a fixed number of workers, each with private state, in
/// increasing order of claim; an exception from any worker is rethrown on the caller's thread.
/// </summary>
internal static class ChunkScheduler
{
    /// <param name="threads">Requested workers (0 = one per core).</param>
    /// <param name="chunks">Number of chunks.</param>
    /// <param name="createWorker">Creates one worker's private state.</param>
    /// <param name="solve">Solves one chunk with a worker's state; returns false to stop claiming chunks.</param>
    /// <param name="finish">Called once per worker after its last chunk (may be null).</param>
    public static void Run<TWorker>(int threads, long chunks, Func<TWorker> createWorker, Func<TWorker, long, bool> solve, Action<TWorker>? finish = null) =>
        RunClaiming(threads, chunks, createWorker, (worker, claim) =>
        {
            long c;
            while ((c = claim()) >= 0)
                if (!solve(worker, c)) return false;
            return true;
        }, finish);

    /// <summary>
    /// As <see cref="Run{TWorker}"/>, but each worker claims its chunks itself, through the function it is handed
    /// (the next unclaimed index, or −1 when none is left or a worker has stopped): for workers that keep several
    /// chunks in flight at once.
    /// </summary>
    /// <param name="threads">Requested workers (0 = one per core).</param>
    /// <param name="chunks">Number of chunks.</param>
    /// <param name="createWorker">Creates one worker's private state.</param>
    /// <param name="run">Runs one worker until its claims return −1; returns false to stop the other workers' claims.</param>
    /// <param name="finish">Called once per worker after it returns (may be null).</param>
    public static void RunClaiming<TWorker>(int threads, long chunks, Func<TWorker> createWorker, Func<TWorker, Func<long>, bool> run, Action<TWorker>? finish = null)
    {
        int workers = threads == 0 ? Environment.ProcessorCount : threads;
        workers = (int)Math.Max(1, Math.Min(workers, chunks));
        long next = -1;
        bool stop = false;
        long Claim()
        {
            if (Volatile.Read(ref stop)) return -1;
            long c = Interlocked.Increment(ref next);
            return c < chunks ? c : -1;
        }
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                var worker = createWorker();
                if (!run(worker, Claim)) Volatile.Write(ref stop, true);
                finish?.Invoke(worker);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
