namespace Drift.Generative.Training;

/// <summary>
/// Importance sampling of the training time for a uniform-time objective: with w(t) the network's loss weight
/// (<see cref="DiffusionObjective.Weight"/>) on [t_min, T], t is drawn from the piecewise-constant density p whose mass
/// on each of K equal cells [t_i, t_{i+1}] is the trapezoid (t_{i+1} − t_i)(w(t_i) + w(t_{i+1}))/2 over their sum, and
/// the loss weight becomes w(t)·r(t) with r = 1/((T − t_min)·p(t)). Then E_p[w r L] = ∫ w L dt/(T − t_min) = E_U[w L] exactly
/// (unbiased for every L), while w·r is nearly constant, so a weight that varies over orders of magnitude — the
/// likelihood weighting g²/σ² of ε-prediction on VP, Song et al. 2021 ("Maximum likelihood training of score-based
/// diffusion models", §5) — no longer makes a few small times dominate the minibatch's variance.
/// </summary>
public sealed class ImportanceTimeSampler
{
    readonly double low, width;
    readonly double[] cumulative; // cumulative[i] = mass of cells 0..i−1, normalised; cumulative[K] = 1

    /// <summary>Tabulates p for <paramref name="objective"/> on <paramref name="cells"/> equal cells.</summary>
    /// <exception cref="ArgumentException">An EDM objective (its σ is log-normal, not uniform), fewer than 2 cells, or a weight that is not finite and non-negative.</exception>
    public ImportanceTimeSampler(DiffusionObjective objective, int cells = 4096)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Kind == ObjectiveKind.Edm) throw new ArgumentException("importance sampling of t applies to uniform-time objectives; EDM draws ln σ from a normal.", nameof(objective));
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 2);
        Objective = objective;
        low = objective.SampleTime(0, 0);
        width = objective.Schedule.MaxTime - low;
        cumulative = new double[cells + 1];
        double previous = Weight(low);
        for (int i = 0; i < cells; i++)
        {
            double next = Weight(low + width * (i + 1) / cells);
            cumulative[i + 1] = cumulative[i] + 0.5 * (previous + next);
            previous = next;
        }
        double total = cumulative[cells];
        if (!(total > 0) || !double.IsFinite(total)) throw new ArgumentException($"the loss weight integrates to {total}; importance sampling needs a positive, finite total.", nameof(objective));
        for (int i = 1; i <= cells; i++) cumulative[i] /= total;
    }

    /// <summary>The objective.</summary>
    public DiffusionObjective Objective { get; }

    /// <summary>Cells of the table.</summary>
    public int Cells => cumulative.Length - 1;

    double Weight(double t)
    {
        double w = Objective.Weight(t) * Math.Pow(Objective.Precondition(t).Out, 2);
        if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"the loss weight at t = {t} is {w}.", nameof(t));
        return w;
    }

    /// <summary>The time for a uniform u ∈ [0, 1) (inverse CDF of p) and the factor r(t) = 1/((T − t_min)·p(t)) that multiplies its weight.</summary>
    public (double Time, double Factor) Sample(double u)
    {
        int k = Cells;
        u = Math.Clamp(u, 0, Math.BitDecrement(1.0));
        int i = Array.BinarySearch(cumulative, u);
        if (i < 0) i = ~i - 1;
        i = Math.Clamp(i, 0, k - 1);
        while (i < k - 1 && !(cumulative[i + 1] > cumulative[i])) i++; // skip empty cells
        double mass = cumulative[i + 1] - cumulative[i];
        double fraction = mass > 0 ? Math.Clamp((u - cumulative[i]) / mass, 0, 1) : 0.5;
        double t = low + width * (i + fraction) / k;
        // p(t) = mass·K/width on this cell, so r = 1/(width·p) = 1/(mass·K).
        return (t, 1 / (mass * k));
    }
}
