namespace Drift.Learning.Training;

/// <summary>
/// A persistent set of worker threads that run the items of one job at a time: the calling thread
/// works too, items are claimed in increasing order from a shared counter, and <see cref="Run"/>
/// returns when all are done. Which thread runs an item never changes what the item computes, so
/// results do not depend on the thread count. Cheaper per job than starting tasks.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    readonly Thread[] workers;
    readonly SemaphoreSlim start = new(0);
    readonly CountdownEvent done = new(1);
    Action<int>? body;
    int items;
    int next;
    Exception? error;
    volatile bool disposed;

    /// <summary>Creates a pool that runs jobs on <paramref name="threads"/> threads (the caller included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When threads is not positive.</exception>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Loop) { IsBackground = true, Name = $"Drift.Learning worker {i + 1}" };
            workers[i].Start();
        }
    }

    /// <summary>Threads that run a job, the caller included.</summary>
    public int Threads { get; }

    /// <summary>Runs body(0) … body(count − 1) across the pool and waits for all; rethrows the first exception an item threw (with its stack trace).</summary>
    public void Run(int count, Action<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (workers.Length == 0 || count <= 1)
        {
            for (int i = 0; i < count; i++) work(i);
            return;
        }
        body = work;
        items = count;
        next = -1;
        error = null;
        done.Reset(workers.Length);
        start.Release(workers.Length);
        Work();
        done.Wait();
        body = null;
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    void Work()
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < items)
        {
            try { body!(i); }
            catch (Exception e) { Interlocked.CompareExchange(ref error, e, null); }
        }
    }

    void Loop()
    {
        while (true)
        {
            start.Wait();
            if (disposed) return;
            Work();
            done.Signal();
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (workers.Length > 0) start.Release(workers.Length);
        foreach (var w in workers) w.Join();
        start.Dispose();
        done.Dispose();
    }
}
