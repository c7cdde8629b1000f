using Drift.Potentials;
using Drift.Solve;

namespace Drift.Models.Physics;

/// <summary>
/// Underdamped Langevin dynamics as a plain SDE on the state [q₁ … qₙ, p₁ … pₙ]:
/// dq = M⁻¹p dt, dp = (−∇U(q) − γp) dt + √(2γM/β) dW, with invariant density ∝ e^{−β(U(q) + |p|²/2M)}.
/// </summary>
/// <remarks>
/// This form runs with the generic solvers (additive noise, m = n; sra1 is weak order 2 here). For sampling, the
/// dedicated splitting integrators <c>Baoab</c> and <c>Ubu</c> in
/// <c>Drift.Langevin</c> integrate the same equation with an exact Ornstein–Uhlenbeck substep and are the better choice.
/// </remarks>
/// <typeparam name="TPotential">The potential, an <see cref="IPotential"/> struct.</typeparam>
/// <param name="potential">U.</param>
/// <param name="friction">γ ≥ 0.</param>
/// <param name="inverseTemperature">β &gt; 0.</param>
/// <param name="mass">M &gt; 0.</param>
public readonly struct UnderdampedLangevin<TPotential>(TPotential potential, double friction, double inverseTemperature, double mass = 1) : IDrift, IAdditiveNoise
    where TPotential : struct, IPotential
{
    private readonly TPotential _potential = potential;

    /// <summary>γ.</summary>
    public double Friction { get; } = friction >= 0 && double.IsFinite(friction) ? friction : throw new ArgumentOutOfRangeException(nameof(friction), friction, "the friction must be non-negative and finite.");
    /// <summary>β.</summary>
    public double InverseTemperature { get; } = inverseTemperature > 0 && double.IsFinite(inverseTemperature) ? inverseTemperature
        : throw new ArgumentOutOfRangeException(nameof(inverseTemperature), inverseTemperature, "beta must be positive and finite.");
    /// <summary>M.</summary>
    public double Mass { get; } = mass > 0 && double.IsFinite(mass) ? mass : throw new ArgumentOutOfRangeException(nameof(mass), mass, "the mass must be positive and finite.");
    /// <summary>d = 2n.</summary>
    public int Dimension => 2 * _potential.Dimension;
    /// <summary>m = n (noise on the momenta only).</summary>
    public int NoiseDimension => _potential.Dimension;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>True: (p/M, −∇U(q) − γp) and the constant noise do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes (p/M, −∇U(q) − γp).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        int length = _potential.Dimension * paths;
        var q = x[..length];
        var p = x.Slice(length, length);
        var dq = dx[..length];
        var dp = dx.Slice(length, length);
        _potential.Gradient(q, dp, paths);
        double invMass = 1 / Mass, gamma = Friction;
        for (int k = 0; k < length; k++)
        {
            dq[k] = p[k] * invMass;
            dp[k] = -dp[k] - gamma * p[k];
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        int n = _potential.Dimension;
        g[..(2 * n * n * paths)].Clear();
        double sigma = Math.Sqrt(2 * Friction * Mass / InverseTemperature);
        for (int i = 0; i < n; i++) g.Slice(((n + i) * n + i) * paths, paths).Fill(sigma);
    }
}
