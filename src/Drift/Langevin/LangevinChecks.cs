using Drift.Potentials;

namespace Drift.Langevin;

internal static class LangevinChecks
{
    public static void Validate<TPotential>(TPotential potential, double friction, double inverseTemperature, double mass)
        where TPotential : struct, IPotential
    {
        if (potential.Dimension < 1)
            throw new ArgumentException($"the potential has dimension {potential.Dimension}; it must have at least one coordinate (was it default-constructed?).", nameof(potential));
        if (!(friction > 0) || !double.IsFinite(friction))
            throw new ArgumentOutOfRangeException(nameof(friction), friction, "the friction γ must be positive and finite.");
        if (!(inverseTemperature > 0) || !double.IsFinite(inverseTemperature))
            throw new ArgumentOutOfRangeException(nameof(inverseTemperature), inverseTemperature, "the inverse temperature β must be positive and finite.");
        if (!(mass > 0) || !double.IsFinite(mass))
            throw new ArgumentOutOfRangeException(nameof(mass), mass, "the mass must be positive and finite.");
    }
}
