using Drift.Numerics;

namespace Drift.Potentials;

/// <summary>
/// The isotropic harmonic potential U(q) = ½ k |q|² in n coordinates: ∇U = k q, ΔU = n k. Its Gibbs
/// measure e^{−βU} is Gaussian with variance 1/(βk) per coordinate; with unit mass the oscillation
/// frequency is ω = √k, and the Verlet-type integrators are stable for h &lt; 2/ω.
/// </summary>
public readonly struct HarmonicPotential : ILaplacianPotential
{
    /// <summary>Creates the potential.</summary>
    /// <param name="dimension">Number of coordinates n (at least 1).</param>
    /// <param name="stiffness">Spring constant k &gt; 0 (finite).</param>
    /// <exception cref="ArgumentException">n &lt; 1 or k not a positive finite number.</exception>
    public HarmonicPotential(int dimension, double stiffness)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "a potential needs at least one coordinate.");
        if (!(stiffness > 0) || !double.IsFinite(stiffness))
            throw new ArgumentOutOfRangeException(nameof(stiffness), stiffness, "the stiffness k must be positive and finite.");
        Dimension = dimension;
        Stiffness = stiffness;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>Spring constant k.</summary>
    public double Stiffness { get; }

    /// <summary>Writes k q.</summary>
    public void Gradient(ReadOnlySpan<double> q, Span<double> gradient, int paths)
    {
        int length = Dimension * paths;
        Elementwise.Map(new ScaleRow(Stiffness), q[..length], q[..length], gradient[..length]);
    }

    /// <summary>Writes ½ k Σᵢ qᵢ².</summary>
    public void Value(ReadOnlySpan<double> q, Span<double> energy, int paths)
    {
        var e = energy[..paths];
        e.Clear();
        for (int i = 0; i < Dimension; i++)
            Elementwise.Map(new AddScaledSquare(0.5 * Stiffness), e, q.Slice(i * paths, paths), e);
    }

    /// <summary>Writes n k (constant).</summary>
    public void Laplacian(ReadOnlySpan<double> q, Span<double> laplacian, int paths) => laplacian[..paths].Fill(Dimension * Stiffness);
}
