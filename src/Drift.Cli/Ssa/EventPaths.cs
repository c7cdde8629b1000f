using System.Globalization;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Cli.Ssa;

/// <summary>
/// <c>drift ssa --every-event --output-paths FILE.csv</c>: every run recorded at every event
/// (<see cref="JumpSimulator.Trajectory"/>, the same draws as the ensemble), as the piecewise-constant, right-continuous
/// path it is: columns <c>time,run,SPECIES...</c>, one row at t = 0, one after each event (the counts from that time on),
/// and a last row at the window's end t1 (the end of the observed window; at the last event's time for a run stopped by
/// --max-events). <c>drift ssa fit</c> reads this file back as full trajectories.
/// </summary>
internal static class EventPaths
{
    /// <summary>Runs simulated at once before their rows are written in run order.</summary>
    private const int Batch = 256;

    /// <summary>Writes runs 0..runs−1; returns the number of runs stopped by the event limit.</summary>
    public static long Write(TextWriter w, ReactionNetwork network, JumpMethod method, double t1, JumpOptions options, long runs)
    {
        w.WriteLine(string.Join(",", ["time", "run", .. network.Species]));
        var batch = new JumpTrajectory[Batch];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? -1 : options.Threads, CancellationToken = options.CancellationToken };
        long stopped = 0;
        var x = new long[network.SpeciesCount];
        for (long first = 0; first < runs; first += Batch)
        {
            int count = (int)Math.Min(Batch, runs - first);
            Parallel.For(0, count, parallel, k => batch[k] = JumpSimulator.Trajectory(network, method, t1, options, first + k));
            for (int k = 0; k < count; k++)
            {
                var path = batch[k];
                long run = first + k;
                if (path.Stopped) stopped++;
                for (int i = 0; i < x.Length; i++) x[i] = path.InitialCounts[i];
                Row(w, 0, run, x);
                double last = 0;
                for (int e = 0; e < path.EventCount; e++)
                {
                    int j = path.Reactions[e];
                    for (int i = 0; i < x.Length; i++) x[i] += network.NetChange(j, i);
                    last = path.EventTimes[e];
                    Row(w, last, run, x);
                }
                if (path.EndTime > last) Row(w, path.EndTime, run, x);
            }
        }
        return stopped;
    }

    private static void Row(TextWriter w, double time, long run, long[] x)
    {
        w.Write(time.ToString("R", CultureInfo.InvariantCulture));
        w.Write(',');
        w.Write(run.ToString(CultureInfo.InvariantCulture));
        foreach (long v in x)
        {
            w.Write(',');
            w.Write(v.ToString(CultureInfo.InvariantCulture));
        }
        w.WriteLine();
    }
}
