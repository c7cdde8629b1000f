namespace Drift.Sampling.Consensus;

/// <summary>The end state of a consensus run (CBO or CBS).</summary>
public sealed class ConsensusResult
{
    private readonly double[] _particles, _consensus;

    internal ConsensusResult(int dimension, double[] particles, double[] consensus, double value, int steps)
    {
        Dimension = dimension;
        _particles = particles;
        _consensus = consensus;
        ConsensusValue = value;
        Steps = steps;
    }

    /// <summary>The dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The number of particles N.</summary>
    public int Count => _particles.Length / Dimension;

    /// <summary>The final consensus point m_α = Σⱼ e^{−α f(xⱼ)} xⱼ / Σⱼ e^{−α f(xⱼ)} (CBO's answer).</summary>
    public ReadOnlySpan<double> Consensus => _consensus;

    /// <summary>f(m_α) at the final consensus point.</summary>
    public double ConsensusValue { get; }

    /// <summary>Steps taken (fewer than asked when the tolerance stopped the run).</summary>
    public int Steps { get; }

    /// <summary>Final particle positions, particle-major: component i of particle p at <c>[p·d + i]</c> (CBS's samples).</summary>
    public ReadOnlySpan<double> Particles => _particles;

    /// <summary>The unweighted mean of the final particles' component <paramref name="component"/>.</summary>
    public double Mean(int component)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(component);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(component, Dimension);
        double m = 0;
        for (int p = 0; p < Count; p++) m += _particles[p * Dimension + component];
        return m / Count;
    }

    /// <summary>The unweighted covariance (divisor N − 1) of the final particles' components i and j.</summary>
    public double Covariance(int i, int j)
    {
        double mi = Mean(i), mj = Mean(j);
        int n = Count, d = Dimension;
        double s = 0;
        for (int p = 0; p < n; p++) s += (_particles[p * d + i] - mi) * (_particles[p * d + j] - mj);
        return s / (n - 1);
    }
}
