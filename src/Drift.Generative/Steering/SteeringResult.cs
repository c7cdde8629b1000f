namespace Drift.Generative.Steering;

/// <summary>
/// The weighted particle system at the end of an <see cref="FkSteering"/> run: samples x₀ⁱ with normalised
/// weights Wⁱ such that Σ_i Wⁱ φ(x₀ⁱ) estimates E_π[φ] for the target π ∝ p·exp(λ r), and the estimate
/// Ẑ of Z = E_p[exp(λ r(x₀))] (unbiased in Ẑ, not in log Ẑ).
/// </summary>
public sealed class SteeringResult
{
    internal SteeringResult(int dimension, double[] samples, double[] weights, double logNormalizer, SteeringStep[] trace, int evaluations)
    {
        Dimension = dimension;
        Samples = samples;
        Weights = weights;
        LogNormalizer = logNormalizer;
        Trace = trace;
        Evaluations = evaluations;
    }

    /// <summary>Data dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of particles N.</summary>
    public int Particles => Weights.Count;

    /// <summary>The final particles, N rows of d values (sample-major).</summary>
    public IReadOnlyList<double> Samples { get; }

    /// <summary>Normalised final weights Wⁱ (sum 1).</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>log Ẑ, the estimate of log E_p[exp(λ r(x₀))].</summary>
    public double LogNormalizer { get; }

    /// <summary>One entry per reweighting (every grid step, then the final one).</summary>
    public IReadOnlyList<SteeringStep> Trace { get; }

    /// <summary>Model evaluations per particle (NFE).</summary>
    public int Evaluations { get; }

    /// <summary>The ESS of the final weights.</summary>
    public double EffectiveSampleSize
    {
        get
        {
            double s2 = 0;
            foreach (double w in Weights) s2 += w * w;
            return 1 / s2;
        }
    }

    /// <summary>The weighted mean Σ_i Wⁱ x₀ⁱ.</summary>
    public double[] Mean()
    {
        var m = new double[Dimension];
        for (int i = 0; i < Particles; i++)
            for (int j = 0; j < Dimension; j++) m[j] += Weights[i] * Samples[i * Dimension + j];
        return m;
    }
}
