namespace Drift.Sampling.Graphs;

/// <summary>Visit counts of each walk of a <see cref="SelfRepellentWalk"/> run and the resulting estimates.</summary>
public sealed class SrrwResult
{
    private readonly long[] _counts;
    private readonly double[] _stationary;
    private readonly double[]? _function;

    internal SrrwResult(long[] counts, double[] stationary, double[]? function, int steps, int walks)
    {
        _counts = counts;
        _stationary = stationary;
        _function = function;
        Steps = steps;
        Walks = walks;
    }

    /// <summary>Steps per walk n.</summary>
    public int Steps { get; }

    /// <summary>The number of walks.</summary>
    public int Walks { get; }

    /// <summary>How often walk w visited each node in steps 1 … n.</summary>
    public ReadOnlySpan<long> Visits(int walk) => _counts.AsSpan(Row(walk) * _stationary.Length, _stationary.Length);

    /// <summary>
    /// Walk w's empirical measure xₙ = (x₀ + Σₖ₌₁ⁿ δ_{Xₖ})/(n + 1) with x₀ = μ, the visit frequencies the walk's kernel
    /// repels from; xₙ → μ almost surely.
    /// </summary>
    public double[] Frequencies(int walk)
    {
        var counts = Visits(walk);
        var x = new double[counts.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (_stationary[i] + counts[i]) / (Steps + 1.0);
        return x;
    }

    /// <summary>Walk w's estimate Σᵢ f(i) xₙ(i) of Σᵢ f(i) μᵢ (needs <see cref="SrrwOptions.Function"/>).</summary>
    /// <exception cref="InvalidOperationException">No function was given.</exception>
    public double Estimate(int walk)
    {
        if (_function is null) throw new InvalidOperationException("the run had no SrrwOptions.Function to estimate.");
        var x = Frequencies(walk);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += _function[i] * x[i];
        return s;
    }

    private int Row(int walk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(walk);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(walk, Walks);
        return walk;
    }
}
