using Drift.Ensembles;
using Drift.Numerics;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Langevin;

/// <summary>
/// The BAOAB splitting of Leimkuhler &amp; Matthews (2013) for underdamped Langevin dynamics:
/// B: p ← p − (h/2)∇U(q); A: q ← q + (h/2)M⁻¹p; O: p ← e^{−γh}p + √(M(1 − e^{−2γh})/β)·ξ (the exact
/// Ornstein–Uhlenbeck flow, ξ ~ N(0, I)); A; B.
/// </summary>
/// <remarks>
/// Weak order 2 (strong order 1); for the harmonic potential U = ½k|q|² its stationary positions are
/// exactly N(0, 1/(βk)) for every stable step h &lt; 2√(M/k), while its momenta have variance
/// (M/β)(1 − h²k/(4M)) — configurational averages are where BAOAB shines. One gradient per step: the
/// gradient at the end of a step is carried (in the worker's <see cref="SolverScratch"/> slot 0) into
/// the next. Brownian dimension m = n: ξ = ΔW/√h, one Gaussian per coordinate and step.
/// </remarks>
/// <typeparam name="TPotential">The potential U.</typeparam>
public struct Baoab<TPotential> : ILangevinIntegrator
    where TPotential : struct, IPotential
{
    private TPotential _potential;

    /// <summary>Creates the integrator.</summary>
    /// <param name="potential">The potential U (dimension n ≥ 1).</param>
    /// <param name="friction">Friction γ &gt; 0.</param>
    /// <param name="inverseTemperature">Inverse temperature β &gt; 0.</param>
    /// <param name="mass">Mass M &gt; 0 (default 1).</param>
    /// <exception cref="ArgumentException">A parameter is not positive and finite, or the potential has no coordinates.</exception>
    public Baoab(TPotential potential, double friction, double inverseTemperature, double mass = 1.0)
    {
        LangevinChecks.Validate(potential, friction, inverseTemperature, mass);
        _potential = potential;
        PositionDimension = potential.Dimension;
        Friction = friction;
        InverseTemperature = inverseTemperature;
        Mass = mass;
    }

    /// <summary>The potential.</summary>
    public readonly TPotential Potential => _potential;
    /// <inheritdoc/>
    public int PositionDimension { get; }
    /// <inheritdoc/>
    public double Friction { get; }
    /// <inheritdoc/>
    public double InverseTemperature { get; }
    /// <inheritdoc/>
    public double Mass { get; }
    /// <inheritdoc/>
    public readonly string Name => "baoab";
    /// <summary>State dimension d = 2n: positions then momenta.</summary>
    public readonly int Dimension => 2 * PositionDimension;
    /// <summary>Brownian dimension m = n.</summary>
    public readonly int NoiseDimension => PositionDimension;
    /// <inheritdoc/>
    public readonly bool NeedsLevyArea => false;
    /// <summary>One step and one gradient evaluation (counted as a drift evaluation) per step.</summary>
    public readonly SolveCounters CountersPerStep => new(1, 1, 0);

    /// <summary>Evaluates ∇U at the batch's initial positions into scratch slot 0.</summary>
    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        int length = PositionDimension * paths;
        _potential.Gradient(x[..length], scratch.Slot(0, length), paths);
    }

    /// <summary>One BAOAB step of length h; the A–O–A middle is fused into two row passes.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        int length = PositionDimension * paths;
        var q = x[..length];
        var p = x.Slice(length, length);
        var g = scratch.Slot(0, length);
        var w = dW[..length];
        var o = OrnsteinUhlenbeckStep.Of(Friction, h, Mass, InverseTemperature);
        double c = o.Decay;
        double noise = Math.Sqrt(o.NoiseVariance / h); // per unit ΔW
        double drift = 0.5 * h / Mass;

        Elementwise.Map(new AddScaled(-0.5 * h), p, g, p);                          // B
        Elementwise.Map(new Combine3(1.0, drift * (1 + c), drift * noise), q, p, w, q); // A O A: q + (h/2M)(p + p′)
        Elementwise.Map(new Combine2(c, noise), p, w, p);                            // O: p′ = c·p + σ_O·ξ
        _potential.Gradient(q, g, paths);
        Elementwise.Map(new AddScaled(-0.5 * h), p, g, p);                          // B
    }
}
