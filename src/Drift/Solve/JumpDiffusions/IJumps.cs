using Drift.Random;

namespace Drift.Solve.JumpDiffusions;

/// <summary>
/// The jump part ∫ h(t, X⁻, z) N(dt, dz) of a jump-diffusion dX = f(t, X) dt + g(t, X) dW + ∫ h(t, X⁻, z) N(dt, dz):
/// a compound Poisson random measure with intensity λ(t, X⁻) ≤ λ_max and marks z ~ ν.
/// </summary>
/// <remarks>
/// <para>The engine draws candidate times at the constant rate λ_max (<see cref="MaxIntensity"/>), integrates every
/// path exactly up to each candidate τ, and accepts it with probability λ(τ, X(τ⁻))/λ_max (thinning: Lewis &amp; Shedler
/// 1979; Ogata 1981), so the accepted times are those of a point process with intensity λ(t, X(t⁻)). At an accepted
/// time <see cref="Jump"/> replaces X(τ⁻) by X(τ) = X(τ⁻) + h(τ, X(τ⁻), z), drawing the mark z from the cursor it is
/// given. A constant intensity equal to λ_max accepts every candidate (no thinning loss).</para>
/// <para>Both members see one path: <c>x</c> is that path's d components. Implement on a struct, so the loops
/// specialise for it. <see cref="Intensity"/> must return a value in [0, λ_max]; a NaN or a value outside it makes
/// the path fail as <see cref="SolveStatus.NonFinite"/> at that time (the bound is what makes thinning exact).</para>
/// </remarks>
public interface IJumps
{
    /// <summary>State dimension d (as the drift's).</summary>
    int Dimension { get; }

    /// <summary>λ_max ≥ 0, an upper bound of λ(t, x) along every path (jumps per unit time); 0 means no jumps.</summary>
    double MaxIntensity { get; }

    /// <summary>λ(t, x⁻) ∈ [0, λ_max], the jump intensity of one path at time t just before a candidate jump.</summary>
    double Intensity(double t, ReadOnlySpan<double> x);

    /// <summary>Applies an accepted jump in place: x ← x + h(t, x, z), with the mark z drawn from <paramref name="marks"/>.</summary>
    /// <param name="t">The jump time.</param>
    /// <param name="x">The path's state X(t⁻) on entry, X(t) on exit (d values).</param>
    /// <param name="marks">Variates keyed by (seed, path, candidate index), fresh for this jump.</param>
    void Jump(double t, Span<double> x, ref StepDraws marks);
}
