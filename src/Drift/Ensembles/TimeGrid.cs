namespace Drift.Ensembles;

/// <summary>
/// The fixed-step grid t_0 &lt; t_1 &lt; … &lt; t_N of a solve and the grid indices that are saved.
/// Steps are t_k = t0 + k·dt (dt exact, the last step shortened to end at t1); save times that are
/// not grid points become grid points.
/// </summary>
public sealed class TimeGrid
{
    private TimeGrid(double[] times, int[] saveIndices)
    {
        Times = times;
        SaveIndices = saveIndices;
    }

    /// <summary>Grid points, strictly increasing, from t0 to t1.</summary>
    public double[] Times { get; }

    /// <summary>Indices into <see cref="Times"/> that are saved, increasing.</summary>
    public int[] SaveIndices { get; }

    /// <summary>Number of steps N.</summary>
    public int Steps => Times.Length - 1;

    /// <summary>Builds the grid from a step count or a step size.</summary>
    /// <param name="t0">Start.</param>
    /// <param name="t1">End, greater than t0.</param>
    /// <param name="steps">Number of uniform steps, or null to use <paramref name="dt"/>.</param>
    /// <param name="dt">Step size, or null to use <paramref name="steps"/>.</param>
    /// <param name="save">Times to record.</param>
    /// <exception cref="ArgumentException">Neither or both of steps and dt are given, they are not positive, a save time lies outside [t0, t1], or the grid would exceed 2³¹ − 2 steps.</exception>
    public static TimeGrid Create(double t0, double t1, int? steps, double? dt, SaveAt save) => Create(t0, t1, steps, dt, save, null);

    /// <summary>The same grid with <paramref name="stops"/> (discrete callback times in [t0, t1]) added as grid points that are not saved.</summary>
    internal static TimeGrid Create(double t0, double t1, int? steps, double? dt, SaveAt save, IReadOnlyList<double>? stops)
    {
        ArgumentNullException.ThrowIfNull(save);
        if (!(t1 > t0)) throw new ArgumentException($"t1 = {t1} must exceed t0 = {t0}.", nameof(t1));
        if (steps.HasValue == dt.HasValue) throw new ArgumentException("give exactly one of the number of steps and the step size dt.");
        var grid = new List<double>();
        if (steps is int n)
        {
            if (n < 1) throw new ArgumentException($"the number of steps must be at least 1, got {n}.", nameof(steps));
            double h = (t1 - t0) / n;
            for (int k = 0; k < n; k++) grid.Add(t0 + k * h);
        }
        else
        {
            double h = dt!.Value;
            if (!(h > 0) || !double.IsFinite(h)) throw new ArgumentException($"dt must be positive and finite, got {h}.", nameof(dt));
            double count = Math.Ceiling((t1 - t0) / h * (1 - 1e-12));
            if (count > int.MaxValue - 2) throw new ArgumentException($"dt = {h} on [{t0}, {t1}] needs {count} steps; at most {int.MaxValue - 2} are allowed.", nameof(dt));
            for (long k = 0; k < (long)count; k++) grid.Add(t0 + k * h);
        }
        grid.Add(t1);
        double tol = 1e-12 * Math.Max(Math.Abs(t0), Math.Abs(t1)) + 1e-300;
        if (stops is not null) grid = Merge(grid, [.. stops], tol);
        var times = grid;
        if (save.RequestedTimes is { } requested)
        {
            foreach (double t in requested)
                if (t < t0 - tol || t > t1 + tol)
                    throw new ArgumentException($"save time {t} lies outside [{t0}, {t1}].", nameof(save));
            times = Merge(grid, requested, tol);
        }
        var saves = new List<int>();
        if (save.RequestedTimes is { } wanted)
        {
            int j = 0;
            foreach (double t in wanted)
            {
                while (Math.Abs(times[j] - t) > tol) j++;
                saves.Add(j);
            }
        }
        else if (save.EveryKSteps > 0)
        {
            for (int k = 0; k < times.Count - 1; k += save.EveryKSteps) saves.Add(k);
            saves.Add(times.Count - 1);
        }
        else
        {
            saves.Add(times.Count - 1);
        }
        return new TimeGrid([.. times], [.. saves.Distinct()]);
    }

    private static List<double> Merge(List<double> grid, double[] extra, double tol)
    {
        var all = new List<double>(grid);
        foreach (double t in extra)
            if (!grid.Exists(g => Math.Abs(g - t) <= tol)) all.Add(t);
        all.Sort();
        return all;
    }
}
