using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>What one run did: events (or leaps) taken, and whether it hit the event limit (then at which time).</summary>
internal readonly record struct RunOutcome(long Events, bool Stopped, double StopTime);

/// <summary>
/// Simulates one run of a network from a given state, recording the piecewise-constant, right-continuous state at
/// the save times. One instance per worker thread (it owns scratch); runs are independent of the instance.
/// </summary>
internal abstract class RunSimulator(PropensityTable table, ulong seed, bool exponentialPairs = false)
{
    protected PropensityTable Table { get; } = table;
    protected double[] A { get; } = new double[table.Reactions];
    protected UniformStream Uniforms { get; } = new(seed, exponentialPairs);
    protected int D => Table.Species;

    /// <summary>Receives (time, reaction) after every firing of an exact method; null (the default) in ensembles.</summary>
    public Action<double, int>? EventSink { get; set; }

    /// <summary>Runs from <paramref name="x"/> (overwritten) and writes the state at save s to output[s·d .. s·d + d).</summary>
    public abstract RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents);

    /// <summary>Records x at every save time before <paramref name="next"/> (the time of the next change); returns the next unsaved index.</summary>
    protected int RecordBefore(double next, int s, ReadOnlySpan<double> saves, double[] x, Span<double> output)
    {
        while (s < saves.Length && saves[s] < next)
        {
            x.AsSpan(0, D).CopyTo(output.Slice(s * D, D)); // x may carry scratch slots past the d counts
            s++;
        }
        return s;
    }

    /// <summary>Records x at every remaining save time (a run stopped by the event limit).</summary>
    protected RunOutcome Stop(int s, ReadOnlySpan<double> saves, double[] x, Span<double> output, long events, double t)
    {
        RecordBefore(double.PositiveInfinity, s, saves, x, output);
        return new RunOutcome(events, true, t);
    }

    protected double EvaluateAll(double[] x)
    {
        double sum = 0;
        for (int j = 0; j < A.Length; j++) sum += A[j] = Table.Evaluate(j, x);
        return sum;
    }
}
