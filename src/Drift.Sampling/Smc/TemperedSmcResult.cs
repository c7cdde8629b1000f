namespace Drift.Sampling.Smc;

/// <summary>
/// The weighted particle approximation Σᵢ Wᵢ δ_{xᵢ} of the posterior π₁ ∝ p₀ · L, the log-evidence estimate log Ẑ and
/// the temperature ladder of a tempered SMC run.
/// </summary>
public sealed class TemperedSmcResult
{
    private readonly double[] _particles, _weights;

    internal TemperedSmcResult(int dimension, double[] particles, double[] weights, double logEvidence, IReadOnlyList<SmcStage> stages)
    {
        Dimension = dimension;
        _particles = particles;
        _weights = weights;
        LogEvidence = logEvidence;
        Stages = stages;
    }

    /// <summary>The dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The number of particles N.</summary>
    public int Count => _weights.Length;

    /// <summary>Particle positions, particle-major: component i of particle p at <c>[p·d + i]</c>.</summary>
    public ReadOnlySpan<double> Particles => _particles;

    /// <summary>Particle p (length d).</summary>
    public ReadOnlySpan<double> Particle(int p) => _particles.AsSpan(p * Dimension, Dimension);

    /// <summary>Normalised weights W₁ … W_N (summing to 1).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>
    /// log Ẑ = Σₖ log Σᵢ Wᵢ^{(k−1)} L(xᵢ)^{βₖ − βₖ₋₁}, the SMC estimate of log ∫ p₀(x) L(x) dx. Ẑ is unbiased (Del Moral 2004);
    /// log Ẑ is biased low by about half its variance. It is the log marginal likelihood when p₀ and L are normalised.
    /// </summary>
    public double LogEvidence { get; }

    /// <summary>The stages, one per temperature β₁ &lt; … &lt; β_K = 1.</summary>
    public IReadOnlyList<SmcStage> Stages { get; }

    /// <summary>The estimate Σᵢ Wᵢ f(xᵢ) of E_π f.</summary>
    public double Expectation(Func<double[], double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var point = new double[Dimension];
        double sum = 0;
        for (int p = 0; p < _weights.Length; p++)
        {
            Particle(p).CopyTo(point);
            sum += _weights[p] * f(point);
        }
        return sum;
    }

    /// <summary>The weighted mean Σᵢ Wᵢ xᵢ of component <paramref name="component"/>.</summary>
    public double Mean(int component)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(component);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(component, Dimension);
        double sum = 0;
        for (int p = 0; p < _weights.Length; p++) sum += _weights[p] * _particles[p * Dimension + component];
        return sum;
    }

    /// <summary>The effective sample size 1/Σ Wᵢ² of the final weights.</summary>
    public double Ess
    {
        get
        {
            double s = 0;
            foreach (double w in _weights) s += w * w;
            return 1 / s;
        }
    }
}
