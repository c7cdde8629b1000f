using Drift.Numerics;

namespace Drift.Potentials;

/// <summary>
/// The separable double well U(q) = Σᵢ (qᵢ² − 1)²: minima at qᵢ = ±1, a barrier of height 1 at qᵢ = 0.
/// ∂U/∂qᵢ = 4qᵢ(qᵢ² − 1), ΔU = Σᵢ (12qᵢ² − 4). The standard test of barrier crossing and of
/// non-Gaussian stationary moments (compare ⟨q²⟩ and ⟨q⁴⟩ with quadrature of e^{−βU}).
/// </summary>
/// <param name="dimension">Number of coordinates n (at least 1).</param>
public readonly struct DoubleWellPotential(int dimension) : ILaplacianPotential
{
    /// <inheritdoc/>
    public int Dimension { get; } = dimension >= 1 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "a potential needs at least one coordinate.");

    /// <summary>Writes 4qᵢ(qᵢ² − 1) for each coordinate.</summary>
    public void Gradient(ReadOnlySpan<double> q, Span<double> gradient, int paths)
    {
        int length = Dimension * paths;
        Elementwise.Map(default(DoubleWellGradient), q[..length], q[..length], gradient[..length]);
    }

    /// <summary>Writes Σᵢ (qᵢ² − 1)².</summary>
    public void Value(ReadOnlySpan<double> q, Span<double> energy, int paths)
    {
        var e = energy[..paths];
        e.Clear();
        for (int i = 0; i < Dimension; i++)
            Elementwise.Map(default(AddDoubleWellEnergy), e, q.Slice(i * paths, paths), e);
    }

    /// <summary>Writes Σᵢ (12qᵢ² − 4).</summary>
    public void Laplacian(ReadOnlySpan<double> q, Span<double> laplacian, int paths)
    {
        var l = laplacian[..paths];
        l.Clear();
        for (int i = 0; i < Dimension; i++)
            Elementwise.Map(default(AddDoubleWellCurvature), l, q.Slice(i * paths, paths), l);
    }
}
