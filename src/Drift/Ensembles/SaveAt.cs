namespace Drift.Ensembles;

/// <summary>Which times of a solve are recorded (as statistics, and as per-path values when asked).</summary>
public sealed class SaveAt
{
    private SaveAt(double[]? times, int every)
    {
        RequestedTimes = times;
        EveryKSteps = every;
    }

    /// <summary>Only the final time.</summary>
    public static SaveAt Final { get; } = new(null, 0);

    /// <summary>The given times (each within [t0, t1]); times off the step grid are added to it.</summary>
    /// <exception cref="ArgumentException">A time is not finite or the list is empty.</exception>
    public static SaveAt Times(params double[] times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Length == 0) throw new ArgumentException("save times are empty; use SaveAt.Final for the end only.", nameof(times));
        foreach (double t in times)
            if (!double.IsFinite(t)) throw new ArgumentException($"save time {t} is not finite.", nameof(times));
        var sorted = (double[])times.Clone();
        Array.Sort(sorted);
        return new SaveAt(sorted.Distinct().ToArray(), 0);
    }

    /// <summary>t0 and every k-th step, and the final time.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is less than 1.</exception>
    public static SaveAt EveryStep(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new SaveAt(null, k);
    }

    /// <summary>The explicit times, or null.</summary>
    public double[]? RequestedTimes { get; }

    /// <summary>The stride k of <see cref="EveryStep"/>, or 0.</summary>
    public int EveryKSteps { get; }
}
