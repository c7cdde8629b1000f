namespace Drift.Solve.JumpDiffusions;

/// <summary>
/// A jump-diffusion dX = f(t, X) dt + g(t, X) dW + ∫ h(t, X⁻, z) N(dt, dz) on [T0, T1] with X(T0) = X0: the SDE part
/// as an <see cref="SdeProblem{TDrift, TDiffusion}"/> and the compound Poisson part as an <see cref="IJumps"/>
/// (intensity λ(t, X⁻) ≤ λ_max, marks z ~ ν). Solve it with <c>DiffEq.Solve(problem, solver, options)</c>; build it
/// with <c>JumpSde.Problem</c>.
/// </summary>
/// <typeparam name="TDrift">The drift f.</typeparam>
/// <typeparam name="TDiffusion">The diffusion g.</typeparam>
/// <typeparam name="TJumps">The jumps.</typeparam>
public sealed class JumpDiffusionProblem<TDrift, TDiffusion, TJumps>
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TJumps : struct, IJumps
{
    /// <summary>Creates the problem and validates its shape.</summary>
    /// <exception cref="ArgumentException">The jumps' dimension is not the SDE's, or λ_max is negative, NaN or infinite.</exception>
    public JumpDiffusionProblem(SdeProblem<TDrift, TDiffusion> sde, TJumps jumps)
    {
        ArgumentNullException.ThrowIfNull(sde);
        if (jumps.Dimension != sde.Dimension)
            throw new ArgumentException($"the jumps have dimension {jumps.Dimension} but the SDE has dimension {sde.Dimension}.", nameof(jumps));
        double max = jumps.MaxIntensity;
        if (!(max >= 0) || double.IsInfinity(max))
            throw new ArgumentException($"the maximum jump intensity must be finite and non-negative, got {max}.", nameof(jumps));
        Sde = sde;
        Jumps = jumps;
    }

    /// <summary>The diffusion part dX = f dt + g dW with its initial state and time span.</summary>
    public SdeProblem<TDrift, TDiffusion> Sde { get; }
    /// <summary>The jump part.</summary>
    public TJumps Jumps { get; }
    /// <summary>Start time.</summary>
    public double T0 => Sde.T0;
    /// <summary>End time.</summary>
    public double T1 => Sde.T1;
    /// <summary>State dimension d.</summary>
    public int Dimension => Sde.Dimension;
}
