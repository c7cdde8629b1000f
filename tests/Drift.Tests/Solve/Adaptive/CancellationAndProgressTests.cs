using System.Collections.Concurrent;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

/// <summary>
/// <see cref="AdaptiveOptions.CancellationToken"/> and <see cref="AdaptiveOptions.Progress"/> are honoured: a token
/// cancelled from inside the right-hand side (a deterministic trigger) stops a trajectory at its next step and a batch
/// before its remaining paths, and progress counts every path exactly once.
/// </summary>
public class CancellationAndProgressTests
{
    /// <summary>x' = −x on [0, 10]: cancels the token after <paramref name="cancelAfter"/> right-hand side calls.</summary>
    private static OdeProblem<DriftFunction> Decay(CancellationTokenSource cts, int cancelAfter, int[] calls) =>
        Ode.FromDelegate((t, x, dx, n) =>
        {
            if (Interlocked.Increment(ref calls[0]) == cancelAfter) cts.Cancel();
            for (int i = 0; i < x.Length; i++) dx[i] = -x[i];
        }, [1.0], 0, 10);

    private static readonly PidController Tight = new() { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 };

    /// <summary>Right-hand side calls of one whole path.</summary>
    private static long EvaluationsPerPath()
    {
        var full = AdaptiveOde.Solve(Decay(new CancellationTokenSource(), -1, new int[1]), new Tsitouras5(), new AdaptiveOptions { Controller = Tight });
        Assert.Equal(SolveStatus.Success, full.Status);
        Assert.True(full.Statistics.FunctionEvaluations > 60, $"a path takes only {full.Statistics.FunctionEvaluations} evaluations");
        return full.Statistics.FunctionEvaluations;
    }

    private sealed class Recorder : IProgress<SolveProgress>
    {
        public ConcurrentQueue<SolveProgress> Reports { get; } = new();
        public void Report(SolveProgress value) => Reports.Enqueue(value);
    }

    [Fact]
    public void A_cancelled_trajectory_stops_at_its_next_step_with_status_Cancelled()
    {
        using var cts = new CancellationTokenSource();
        var calls = new int[1];
        long whole = EvaluationsPerPath();
        var s = AdaptiveOde.Solve(Decay(cts, 30, calls), new Tsitouras5(), new AdaptiveOptions { Controller = Tight, CancellationToken = cts.Token });
        Assert.Equal(SolveStatus.Cancelled, s.Status);
        Assert.InRange(s.FinalTime, 1e-9, 9.999);
        Assert.InRange(s.Statistics.FunctionEvaluations, 30, 30 + 7); // at most the step under way finishes
        Assert.True(whole > 60);
        Assert.Contains("cancelled", s.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_a_batch_and_the_unfinished_paths_say_Cancelled()
    {
        const int paths = 200;
        using var cts = new CancellationTokenSource();
        var calls = new int[1];
        long whole = EvaluationsPerPath();
        int trigger = (int)(5 * whole);
        var batch = AdaptiveOde.SolveBatch(Decay(cts, trigger, calls), new Tsitouras5(), paths,
            new AdaptiveOptions { Controller = Tight, Threads = 2, CancellationToken = cts.Token });
        int success = 0, cancelled = 0;
        for (int p = 0; p < paths; p++)
        {
            var status = batch[p].Status;
            Assert.True(status is SolveStatus.Success or SolveStatus.Cancelled, $"path {p}: {status}");
            if (status == SolveStatus.Success) { success++; Assert.Equal(10.0, batch[p].FinalTime); }
            else { cancelled++; Assert.True(batch[p].FinalTime < 10.0); }
        }
        Assert.True(success >= 1, "paths before the trigger finish");
        Assert.True(cancelled >= paths / 2, $"only {cancelled} of {paths} paths were stopped");
        Assert.False(batch.AllSucceeded);
        // Past the trigger: each of the two running paths finishes at most its current step (7 calls), and each
        // unstarted path evaluates f at t0 and once for its starting step before it sees the token.
        Assert.True(calls[0] <= trigger + 2 * 7 + 2 * paths, $"{calls[0]} evaluations for a trigger at {trigger}: the batch ran on after cancellation");
    }

    [Fact]
    public void DiffEq_solve_of_an_adaptive_ODE_ensemble_reports_Cancelled_and_keeps_whole_chunks()
    {
        using var cts = new CancellationTokenSource();
        var calls = new int[1];
        int trigger = (int)(300 * EvaluationsPerPath());
        var solution = DiffEq.Solve(Decay(cts, trigger, calls), new Tsitouras5(),
            new SolveOptions { Controller = Tight, Paths = 1024, ChunkSize = 256, Threads = 1, CancellationToken = cts.Token });
        Assert.Equal(SolveStatus.Cancelled, solution.Status);
        Assert.True(solution.Paths < 1024 && solution.Paths % 256 == 0, $"{solution.Paths} paths kept");
        Assert.Equal(0, solution.FailedPaths);
    }

    [Fact]
    public void A_batch_reports_progress_once_per_hundredth_and_ends_at_the_total()
    {
        const int paths = 300;
        var recorder = new Recorder();
        var batch = AdaptiveOde.SolveBatch(Decay(new CancellationTokenSource(), -1, new int[1]), new Tsitouras5(), paths,
            new AdaptiveOptions { Threads = 2, Progress = recorder });
        Assert.True(batch.AllSucceeded);
        var reports = recorder.Reports.ToArray();
        Assert.Equal(100, reports.Length); // every 3rd path of 300
        Assert.All(reports, r => Assert.Equal(paths, r.PathsTotal));
        Assert.Equal(Enumerable.Range(1, 100).Select(k => 3L * k), reports.Select(r => r.PathsDone).Order());
        Assert.Equal(1.0, reports.Max(r => r.Fraction));

        var single = new Recorder();
        AdaptiveOde.Solve(Decay(new CancellationTokenSource(), -1, new int[1]), new Tsitouras5(), new AdaptiveOptions { Progress = single });
        Assert.Equal(new[] { new SolveProgress(1, 1) }, single.Reports.ToArray());
    }
}
