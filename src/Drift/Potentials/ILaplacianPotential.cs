namespace Drift.Potentials;

/// <summary>
/// A potential that can also evaluate its Laplacian ΔU = Σᵢ ∂²U/∂qᵢ², which the configurational
/// temperature k_B T_conf = ⟨|∇U|²⟩ / ⟨ΔU⟩ needs (it equals 1/β under the Gibbs measure e^{−βU},
/// by integration by parts).
/// </summary>
public interface ILaplacianPotential : IPotential
{
    /// <summary>Writes ΔU(q) for every path of the batch (one row).</summary>
    /// <param name="q">Positions, n rows of <paramref name="paths"/> values.</param>
    /// <param name="laplacian">Output, one row of <paramref name="paths"/> values.</param>
    /// <param name="paths">Paths in the batch (the row length).</param>
    void Laplacian(ReadOnlySpan<double> q, Span<double> laplacian, int paths);
}
