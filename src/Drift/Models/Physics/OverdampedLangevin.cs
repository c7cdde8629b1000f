using Drift.Potentials;
using Drift.Solve;

namespace Drift.Models.Physics;

/// <summary>
/// Overdamped (Brownian) Langevin dynamics dX = −∇U(X) dt + √(2/β) dW in a potential U (unit mobility), whose
/// stationary density is π(x) ∝ e^{−βU(x)}. With <see cref="DoubleWellPotential"/> (U = Σ(xᵢ² − 1)²) this is the
/// classic double well of Kramers (1940), hopping between x = ±1 at a rate ≈ (√(U″(1)|U″(0)|)/2π)e^{−βΔU}, ΔU = 1.
/// </summary>
/// <remarks>Additive noise (m = d, g = √(2/β)·I): any solver runs it, sra1 with strong order 1.5.</remarks>
/// <typeparam name="TPotential">The potential, an <see cref="IPotential"/> struct.</typeparam>
/// <param name="potential">U.</param>
/// <param name="inverseTemperature">β &gt; 0.</param>
public readonly struct OverdampedLangevin<TPotential>(TPotential potential, double inverseTemperature) : IDrift, IAdditiveNoise
    where TPotential : struct, IPotential
{
    private readonly TPotential _potential = potential;

    /// <summary>β.</summary>
    public double InverseTemperature { get; } = inverseTemperature > 0 && double.IsFinite(inverseTemperature) ? inverseTemperature
        : throw new ArgumentOutOfRangeException(nameof(inverseTemperature), inverseTemperature, "beta must be positive and finite.");
    /// <summary>d = the potential's dimension.</summary>
    public int Dimension => _potential.Dimension;
    /// <summary>m = d.</summary>
    public int NoiseDimension => _potential.Dimension;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>True: −∇U(x) and √(2/β) do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes −∇U(x).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var gradient = dx[..(Dimension * paths)];
        _potential.Gradient(x, gradient, paths);
        foreach (ref double v in gradient) v = -v;
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        int d = Dimension;
        double sigma = Math.Sqrt(2 / InverseTemperature);
        g[..(d * d * paths)].Clear();
        for (int i = 0; i < d; i++) g.Slice((i * d + i) * paths, paths).Fill(sigma);
    }
}
