namespace Drift.Langevin;

/// <summary>
/// Equilibrium diagnostics of a Langevin sample, each with its Monte Carlo standard error (paths taken
/// as independent). At stationarity both temperatures equal 1/β.
/// </summary>
/// <param name="Samples">Paths measured (non-finite states are skipped).</param>
/// <param name="Kinetic">Kinetic temperature ⟨|p|²/M⟩/n: the mean kinetic energy per degree of freedom, doubled.</param>
/// <param name="KineticStandardError">Standard error of <paramref name="Kinetic"/>.</param>
/// <param name="Configurational">Configurational temperature ⟨|∇U|²⟩/⟨ΔU⟩.</param>
/// <param name="ConfigurationalStandardError">Standard error of <paramref name="Configurational"/> (delta method for a ratio of means).</param>
/// <param name="MeanPotential">Mean potential energy ⟨U⟩.</param>
/// <param name="MeanPotentialStandardError">Standard error of <paramref name="MeanPotential"/>.</param>
public readonly record struct Temperatures(long Samples, double Kinetic, double KineticStandardError, double Configurational,
    double ConfigurationalStandardError, double MeanPotential, double MeanPotentialStandardError);
