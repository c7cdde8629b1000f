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
    public static void Run<TWorker>(int threads, long chunks, Func<TWorker> createWorker, Func<TWorker, long, bool> solve, Action<TWorker>? finish = null)
    {
        int workers = threads == 0 ? Environment.ProcessorCount : threads;
        workers = (int)Math.Max(1, Math.Min(workers, chunks));
        long next = -1;
        bool stop = false;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                var worker = createWorker();
                long c;
                while (!Volatile.Read(ref stop) && (c = Interlocked.Increment(ref next)) < chunks)
                    if (!solve(worker, c)) Volatile.Write(ref stop, true);
                finish?.Invoke(worker);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
