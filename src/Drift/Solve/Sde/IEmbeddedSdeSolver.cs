namespace Drift.Solve.Sde;

/// <summary>
/// An SDE solver whose step also yields embedded error terms for step-size control, in the form of
/// Rackauckas &amp; Nie (2017, "Adaptive methods for stochastic differential equations via natural
/// embeddings and rejection sampling with memory"): a deterministic part E₁ and a stochastic part
/// E₂ per component, combined as (δ|E₁| + |E₂|) / (atol + rtol·max(|Xₙ|, |Xₙ₊₁|)). E₁ must be a local error
/// estimate (it vanishes faster than the step as h → 0), not the drift increment itself.
/// </summary>
public interface IEmbeddedSdeSolver : ISdeSolver
{
    /// <summary>
    /// As <see cref="ISdeSolver.Step{TDrift,TDiffusion}"/>, and writes the error terms E₁ and E₂
    /// (d rows of <paramref name="paths"/> each).
    /// </summary>
    void StepWithError<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths, Span<double> deterministicError, Span<double> stochasticError)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion;
}
