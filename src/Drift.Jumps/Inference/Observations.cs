using Drift.Jumps.Networks;

namespace Drift.Jumps.Inference;

/// <summary>
/// Sparse observations of one run of a network started from its initial counts at t = 0: at times
/// 0 &lt; t₁ &lt; … &lt; t_K, the values y[k, s] of the species <see cref="Species"/>[s] (through an
/// <see cref="ObservationNoise"/>). Independent runs (cells, replicates) are separate <see cref="Observations"/>.
/// </summary>
public sealed class Observations
{
    private readonly double[] _times;
    private readonly int[] _species;
    private readonly double[,] _values;

    /// <summary>Observations at <paramref name="times"/> of <paramref name="species"/>; values[k, s] is species[s] at times[k].</summary>
    /// <exception cref="ArgumentException">Times not strictly increasing and positive/finite, empty species, repeated species, or a shape mismatch, or a value that is not finite.</exception>
    public Observations(IReadOnlyList<double> times, IReadOnlyList<int> species, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(species);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Count == 0) throw new ArgumentException("there are no observation times.", nameof(times));
        double previous = 0;
        for (int k = 0; k < times.Count; k++)
        {
            if (!(times[k] > previous) || double.IsInfinity(times[k])) throw new ArgumentException($"observation times must be finite and increase strictly from 0; time {k} is {times[k]}.", nameof(times));
            previous = times[k];
        }
        if (species.Count == 0 || species.Distinct().Count() != species.Count) throw new ArgumentException("the observed species must be a non-empty list without repeats.", nameof(species));
        if (values.GetLength(0) != times.Count || values.GetLength(1) != species.Count)
            throw new ArgumentException($"values must be {times.Count} × {species.Count} (times × species), got {values.GetLength(0)} × {values.GetLength(1)}.", nameof(values));
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new ArgumentException($"an observed value is {v}; values must be finite.", nameof(values));
        _times = [.. times];
        _species = [.. species];
        _values = (double[,])values.Clone();
    }

    /// <summary>Observation times t₁ &lt; … &lt; t_K.</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>Indices of the observed species.</summary>
    public IReadOnlyList<int> Species => _species;

    /// <summary>The value of observed species s at time k.</summary>
    public double Value(int k, int s) => _values[k, s];

    internal void Check(ReactionNetwork network, string name)
    {
        foreach (int s in _species)
            if ((uint)s >= (uint)network.SpeciesCount) throw new ArgumentException($"observed species index {s} is out of range; the network has {network.SpeciesCount} species.", name);
    }
}
