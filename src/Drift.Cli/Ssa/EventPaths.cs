using System.Globalization;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Cli.Ssa;

/// <summary>
/// <c>drift ssa --every-event --output-paths FILE.csv</c>: every run recorded at every event, as the piecewise-constant,
/// right-continuous path it is: columns <c>time,run,SPECIES...</c>, one row at t = 0, one after each event (the counts
/// from that time on), and a last row at the window's end t1 (the end of the observed window; at the last event's time
/// for a run stopped by --max-events). <c>drift ssa fit</c> reads this file back as full trajectories.
/// <para>
/// One pass: the writer is the ensemble's <see cref="JumpOptions.Trajectories"/> sink, so the rows and the statistics
/// come from the same simulation. Runs arrive from worker threads in chunks, in no fixed order; a run is written as soon
/// as every run before it is, the others wait in memory (about a chunk per thread), so the file is the same for any
/// thread count.
/// </para>
/// </summary>
internal sealed class EventPaths
{
    private readonly TextWriter _writer;
    private readonly ReactionNetwork _network;
    private readonly Dictionary<long, JumpTrajectory> _waiting = [];
    private readonly long[] _x;
    private readonly object _gate = new();
    private long _next;

    /// <summary>Writes the header; runs are then passed to <see cref="Add"/>.</summary>
    public EventPaths(TextWriter writer, ReactionNetwork network)
    {
        _writer = writer;
        _network = network;
        _x = new long[network.SpeciesCount];
        writer.WriteLine(string.Join(",", ["time", "run", .. network.Species]));
    }

    /// <summary>Runs stopped by the event limit among those written.</summary>
    public long Stopped { get; private set; }

    /// <summary>Runs written so far (runs 0 .. Written − 1).</summary>
    public long Written => _next;

    /// <summary>Takes run <paramref name="run"/>'s trajectory (thread-safe) and writes every run now in order.</summary>
    public void Add(long run, JumpTrajectory path)
    {
        lock (_gate)
        {
            _waiting[run] = path;
            while (_waiting.Remove(_next, out var next))
            {
                Write(_next, next);
                _next++;
            }
        }
    }

    private void Write(long run, JumpTrajectory path)
    {
        if (path.Stopped) Stopped++;
        for (int i = 0; i < _x.Length; i++) _x[i] = path.InitialCounts[i];
        Row(0, run);
        double last = 0;
        for (int e = 0; e < path.EventCount; e++)
        {
            int j = path.Reactions[e];
            for (int i = 0; i < _x.Length; i++) _x[i] += _network.NetChange(j, i);
            last = path.EventTimes[e];
            Row(last, run);
        }
        if (path.EndTime > last) Row(path.EndTime, run);
    }

    private void Row(double time, long run)
    {
        var w = _writer;
        w.Write(time.ToString("R", CultureInfo.InvariantCulture));
        w.Write(',');
        w.Write(run.ToString(CultureInfo.InvariantCulture));
        foreach (long v in _x)
        {
            w.Write(',');
            w.Write(v.ToString(CultureInfo.InvariantCulture));
        }
        w.WriteLine();
    }
}
