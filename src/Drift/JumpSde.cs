using Drift.Solve;
using Drift.Solve.JumpDiffusions;

namespace Drift;

/// <summary>
/// Jump-diffusion problems dX = f(t, X) dt + g(t, X) dW + ∫ h(t, X⁻, z) N(dt, dz) whose type arguments are inferred, as
/// <see cref="Sde"/>'s are. Solve them with <see cref="DiffEq"/>: fixed steps cut at every jump time, or adaptive steps.
/// </summary>
public static class JumpSde
{
    /// <summary>f and g from one struct, the jumps from another.</summary>
    /// <param name="model">The drift and the diffusion.</param>
    /// <param name="jumps">Intensity, its bound λ_max and the jump map.</param>
    /// <param name="initialState">X0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">Itô or Stratonovich (of the diffusion part).</param>
    /// <param name="pathInitialStates">Per-path initial states, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, X0 is not finite, or λ_max is invalid.</exception>
    public static JumpDiffusionProblem<TModel, TModel, TJumps> Problem<TModel, TJumps>(TModel model, TJumps jumps, double[] initialState, double t0, double t1,
        Calculus calculus = Calculus.Ito, InitialStates? pathInitialStates = null)
        where TModel : struct, IDrift, IDiffusion
        where TJumps : struct, IJumps =>
        new(Sde.Problem(model, initialState, t0, t1, calculus, pathInitialStates), jumps);

    /// <summary>f, g and the jumps from three structs.</summary>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, X0 is not finite, or λ_max is invalid.</exception>
    public static JumpDiffusionProblem<TDrift, TDiffusion, TJumps> Problem<TDrift, TDiffusion, TJumps>(TDrift drift, TDiffusion diffusion, TJumps jumps, double[] initialState,
        double t0, double t1, Calculus calculus = Calculus.Ito, InitialStates? pathInitialStates = null)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TJumps : struct, IJumps =>
        new(Sde.Problem(drift, diffusion, initialState, t0, t1, calculus, pathInitialStates), jumps);
}
