namespace Drift.Solve;

/// <summary>
/// The diffusion g(t, x) ∈ ℝ^{d×m} of an SDE dX = f dt + g dW, evaluated for a batch of paths.
/// </summary>
/// <remarks>
/// The output layout follows <see cref="Noise"/>: <see cref="NoiseKind.Scalar"/> and
/// <see cref="NoiseKind.Diagonal"/> write d rows; <see cref="NoiseKind.Additive"/> and
/// <see cref="NoiseKind.General"/> write d·m rows, element (i, j) in row i·m + j. Rows are
/// <c>paths</c> long, component-major as in <see cref="IDrift"/>.
/// </remarks>
public interface IDiffusion
{
    /// <summary>State dimension d.</summary>
    int Dimension { get; }

    /// <summary>Brownian dimension m (1 for scalar noise, d for diagonal noise).</summary>
    int NoiseDimension { get; }

    /// <summary>The structure of g, which decides its layout.</summary>
    NoiseKind Noise { get; }

    /// <summary>
    /// Whether g depends on t only (additive noise), whatever the layout <see cref="Noise"/> declares:
    /// a diagonal layout with constant entries is additive noise. Solvers are chosen by this class
    /// (<see cref="Solve.Noise.Class{TDiffusion}"/>: additive ⊂ diagonal ⊂ general), not by the layout.
    /// Default: <c>Noise == NoiseKind.Additive</c>.
    /// </summary>
    bool StateIndependent => Noise == NoiseKind.Additive;

    /// <summary>
    /// Whether g depends on x only (g(t, x) = g(x)); see <see cref="IDrift.TimeIndependent"/>. Default false.
    /// </summary>
    bool TimeIndependent => false;

    /// <summary>Writes g(t, x) for every path of the batch.</summary>
    /// <param name="t">Time.</param>
    /// <param name="x">States, d rows of <paramref name="paths"/> values.</param>
    /// <param name="g">Output in the layout of <see cref="Noise"/>; never aliases <paramref name="x"/>.</param>
    /// <param name="paths">Paths in the batch (the row length).</param>
    void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths);
}
