namespace Drift.Potentials;

/// <summary>
/// A potential energy U : ℝⁿ → ℝ and its gradient ∇U, evaluated for a batch of positions at once:
/// the force field −∇U of Langevin dynamics dq = M⁻¹p dt, dp = −∇U(q) dt − γp dt + √(2γM/β) dW.
/// </summary>
/// <remarks>
/// Batches are component-major, as in <see cref="Solve.IDrift"/>: coordinate i of every path is the
/// contiguous row <c>q[i·paths .. (i+1)·paths)</c>. Implement on a struct and pass it by type so that
/// integrators are specialised for it (no virtual call per path-step). Each path's result must depend
/// on that path's lanes only, so that results do not depend on how paths are batched. A NaN or ±∞
/// position should give a non-finite gradient, which the ensemble reports as a divergence.
/// </remarks>
public interface IPotential
{
    /// <summary>Number of position coordinates n (the Langevin state has 2n components: q then p).</summary>
    int Dimension { get; }

    /// <summary>Writes ∇U(q) for every path of the batch.</summary>
    /// <param name="q">Positions, n rows of <paramref name="paths"/> values.</param>
    /// <param name="gradient">Output, n rows of <paramref name="paths"/> values: row i holds ∂U/∂q_i; never aliases <paramref name="q"/>.</param>
    /// <param name="paths">Paths in the batch (the row length).</param>
    void Gradient(ReadOnlySpan<double> q, Span<double> gradient, int paths);

    /// <summary>Writes U(q) for every path of the batch (one row), for diagnostics such as ⟨U⟩.</summary>
    /// <param name="q">Positions, n rows of <paramref name="paths"/> values.</param>
    /// <param name="energy">Output, one row of <paramref name="paths"/> values.</param>
    /// <param name="paths">Paths in the batch (the row length).</param>
    void Value(ReadOnlySpan<double> q, Span<double> energy, int paths);
}
