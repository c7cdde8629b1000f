using Drift.Ensembles;
using Drift.Numerics;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Langevin;

/// <summary>
/// The UBU splitting of Sanz-Serna &amp; Zygalakis (2021): U_{h/2} ∘ B_h ∘ U_{h/2}, where B_h is the
/// kick p ← p − h∇U(q) and U_τ is the exact flow of the linear part dq = M⁻¹p dt,
/// dp = −γp dt + √(2γM/β) dW (free motion with friction and noise) over τ = h/2.
/// </summary>
/// <remarks>
/// <para>Weak order 2 and strong order 2 (BAOAB has strong order 1), one gradient per step, exact
/// Ornstein–Uhlenbeck substeps: with η = e^{−γτ}, σ = √(2γM/β), Z = ∫₀^τ e^{−γ(τ−s)} dW(s) and ΔW the
/// increment over the substep, U_τ maps p ← ηp + σZ (so p gets exactly the O-step noise
/// √(M(1 − η²)/β)·ξ) and q ← q + (1 − η)/(γM)·p + σ/(γM)·(ΔW − Z). (ΔW, Z) is Gaussian with
/// Var ΔW = τ, Var Z = (1 − η²)/(2γ), Cov = (1 − η)/γ, drawn exactly: ΔW from the Brownian increment,
/// Z = (Cov/τ)·ΔW + √(Var Z − Cov²/τ)·ζ with ζ independent.</para>
/// <para>Brownian dimension m = 2n with Lévy areas: row j (j &lt; n) is √2 times the increment of
/// coordinate j over the first half-step, row n + j over the second; the independent ζ of each half
/// is the standardised Lévy area of that row. The draws are exact in distribution, but rows are not
/// refinements of one Brownian path across step sizes, so measure UBU's convergence weakly.</para>
/// </remarks>
/// <typeparam name="TPotential">The potential U.</typeparam>
public struct Ubu<TPotential> : ILangevinIntegrator
    where TPotential : struct, IPotential
{
    private TPotential _potential;

    /// <summary>Creates the integrator.</summary>
    /// <param name="potential">The potential U (dimension n ≥ 1).</param>
    /// <param name="friction">Friction γ &gt; 0.</param>
    /// <param name="inverseTemperature">Inverse temperature β &gt; 0.</param>
    /// <param name="mass">Mass M &gt; 0 (default 1).</param>
    /// <exception cref="ArgumentException">A parameter is not positive and finite, or the potential has no coordinates.</exception>
    public Ubu(TPotential potential, double friction, double inverseTemperature, double mass = 1.0)
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
    public readonly string Name => "ubu";
    /// <summary>State dimension d = 2n: positions then momenta.</summary>
    public readonly int Dimension => 2 * PositionDimension;
    /// <summary>Brownian dimension m = 2n: one increment per coordinate and half-step.</summary>
    public readonly int NoiseDimension => 2 * PositionDimension;
    /// <summary>True: the Lévy areas supply the independent part of the exponentially weighted integrals.</summary>
    public readonly bool NeedsLevyArea => true;
    /// <summary>One step and one gradient evaluation (counted as a drift evaluation) per step.</summary>
    public readonly SolveCounters CountersPerStep => new(1, 1, 0);

    /// <summary>Nothing is carried between steps.</summary>
    public readonly void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <summary>One UBU step of length h.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        int length = PositionDimension * paths;
        var q = x[..length];
        var p = x.Slice(length, length);
        var c = UbuHalfStep.Of(h, Friction, InverseTemperature, Mass);

        c.Apply(q, p, dW[..length], levy[..length]);
        var g = scratch.Slot(0, length);
        _potential.Gradient(q, g, paths);
        Elementwise.Map(new AddScaled(-h), p, g, p);
        c.Apply(q, p, dW.Slice(length, length), levy.Slice(length, length));
    }
}
