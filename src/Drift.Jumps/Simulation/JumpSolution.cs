using Drift.Ensembles;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The outcome of <see cref="JumpSimulator.Simulate"/>: the ensemble statistics at the save times (the same
/// <see cref="EnsembleSolution"/> an SDE ensemble returns: moments, standard errors, quantiles, optional per-run
/// states; component i is species i), exact count histograms, and the work done.
/// </summary>
public sealed class JumpSolution
{
    private readonly CountHistogram[]? _histograms;

    internal JumpSolution(JumpMethod method, string[] species, EnsembleSolution statistics, CountHistogram[]? histograms, long events)
    {
        Method = method;
        Species = species;
        Statistics = statistics;
        _histograms = histograms;
        Events = events;
    }

    /// <summary>The shard's mergeable state when <see cref="JumpOptions.Shard"/> was set, else null.</summary>
    public JumpState? State { get; internal set; }

    /// <summary>The method that produced it.</summary>
    public JumpMethod Method { get; }

    /// <summary>Species names (the components of <see cref="Statistics"/>).</summary>
    public IReadOnlyList<string> Species { get; }

    /// <summary>Moments, quantiles and per-run states at the save times.</summary>
    public EnsembleSolution Statistics { get; }

    /// <summary>The save times.</summary>
    public IReadOnlyList<double> Times => Statistics.Times;

    /// <summary>Reaction events fired over all runs (leaps and exact steps for tau-leaping, Euler steps for the CLE, accepted steps for the ODE).</summary>
    public long Events { get; }

    /// <summary>The histograms (save-major), or null.</summary>
    internal CountHistogram[]? Histograms => _histograms;

    /// <summary>Whether exact count histograms were kept.</summary>
    public bool HasHistograms => _histograms is not null;

    /// <summary>The histogram of species <paramref name="species"/> over the finished runs at save <paramref name="save"/>.</summary>
    /// <exception cref="InvalidOperationException">Histograms were not tracked (continuous methods, or switched off).</exception>
    public CountHistogram Histogram(int save, int species)
    {
        var all = _histograms ?? throw new InvalidOperationException("count histograms exist for the exact and tau-leap methods with JumpOptions.TrackHistograms.");
        if ((uint)save >= (uint)Times.Count) throw new ArgumentOutOfRangeException(nameof(save), save, $"there are {Times.Count} save times.");
        if ((uint)species >= (uint)Species.Count) throw new ArgumentOutOfRangeException(nameof(species), species, $"there are {Species.Count} species.");
        return all[save * Species.Count + species];
    }

    /// <summary>Combines two shards (adjacent run ranges of one network, method, seed and save times): moments merge to rounding, quantiles and histograms exactly.</summary>
    public static JumpSolution Merge(JumpSolution first, JumpSolution second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Method != second.Method || !first.Species.SequenceEqual(second.Species))
            throw new ArgumentException("shards must come from the same network and method.", nameof(second));
        var statistics = EnsembleSolution.Merge(first.Statistics, second.Statistics);
        CountHistogram[]? histograms = null;
        if (first._histograms is not null && second._histograms is not null)
        {
            histograms = new CountHistogram[first._histograms.Length];
            for (int k = 0; k < histograms.Length; k++)
            {
                histograms[k] = new CountHistogram();
                histograms[k].Merge(first._histograms[k]);
                histograms[k].Merge(second._histograms[k]);
            }
        }
        return new JumpSolution(first.Method, [.. first.Species], statistics, histograms, first.Events + second.Events);
    }
}
