using Drift.Ensembles;

namespace Drift.Langevin;

/// <summary>
/// A fixed-step integrator of underdamped Langevin dynamics
/// dq = M⁻¹p dt, dp = −∇U(q) dt − γp dt + √(2γM/β) dW, whose invariant measure is
/// ∝ exp(−β(U(q) + |p|²/(2M))). It is an <see cref="IEnsembleStepper"/> over the state
/// [q rows; p rows] (d = 2n), so it runs through <see cref="Ensemble"/> with all its guarantees.
/// </summary>
public interface ILangevinIntegrator : IEnsembleStepper
{
    /// <summary>Number of position coordinates n (the state has 2n components).</summary>
    int PositionDimension { get; }

    /// <summary>Friction γ &gt; 0 (per unit time).</summary>
    double Friction { get; }

    /// <summary>Inverse temperature β = 1/(k_B T) &gt; 0.</summary>
    double InverseTemperature { get; }

    /// <summary>Mass M &gt; 0 (the same for every coordinate).</summary>
    double Mass { get; }

    /// <summary>Short name of the scheme ("baoab", "ubu").</summary>
    string Name { get; }
}
