namespace Drift.Sampling.Targets;

/// <summary>
/// An unnormalised log-density log π(x) on ℝᵈ and its gradient ∇ log π(x), evaluated for a batch of chains at once.
/// </summary>
/// <remarks>
/// <para>The batch is laid out component-major, as the engine's drifts are: for <c>n = logDensity.Length</c> chains,
/// component i of chain c is <c>x[i·n + c]</c>, so component i of every chain is one contiguous span and a target's
/// arithmetic can run SIMD across chains. The gradient uses the same layout.</para>
/// <para>Implement it on a struct and pass the struct to <see cref="Mcmc.Sample{TTarget}"/>: the sampler loops are then
/// specialised for the target (no virtual or delegate call per evaluation). A point outside the support returns
/// −∞ (the gradient is then ignored); NaN is treated as −∞ by the samplers (the proposal is rejected, and a
/// Hamiltonian trajectory that reaches it is marked divergent).</para>
/// </remarks>
public interface ILogDensity
{
    /// <summary>The dimension d of the parameter space.</summary>
    int Dimension { get; }

    /// <summary>Evaluates log π and ∇ log π for <c>logDensity.Length</c> chains.</summary>
    /// <param name="x">Positions, component-major: length d·n.</param>
    /// <param name="logDensity">Receives log π(x_c) for each chain c (length n).</param>
    /// <param name="gradient">Receives ∂ log π/∂x_i of chain c at <c>[i·n + c]</c> (length d·n).</param>
    void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient);
}
