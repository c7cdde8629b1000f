namespace Drift.Sampling.Consensus;

/// <summary>
/// An objective f: ℝᵈ → ℝ evaluated for a batch of particles at once, laid out component-major as every batch in
/// <c>Drift.Sampling</c> (component i of particle c at <c>x[i·n + c]</c>, n = <c>values.Length</c>). Consensus-based
/// optimisation minimises f; consensus-based sampling samples ∝ e^{−f}. No gradient is needed.
/// </summary>
public interface IObjective
{
    /// <summary>The dimension d.</summary>
    int Dimension { get; }

    /// <summary>Writes f(x_c) for each particle c into <paramref name="values"/>. A NaN value counts as +∞ (weight 0).</summary>
    /// <param name="x">Positions, component-major (length d·n).</param>
    /// <param name="values">Receives f per particle (length n).</param>
    void Evaluate(ReadOnlySpan<double> x, Span<double> values);
}
