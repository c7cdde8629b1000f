namespace Drift.Solve;

/// <summary>
/// The compile-time noise trait of a diffusion whose g depends on t only for every instance of its type
/// (<see cref="IDiffusion.StateIndependent"/> is true, whatever the layout <see cref="IDiffusion.Noise"/> declares):
/// additive noise, the narrowest class, accepted wherever an <see cref="IDiagonalNoise"/> or <see cref="IGeneralNoise"/>
/// is; additive-only solvers (<see cref="Sde.Sra1"/>) require it.
/// </summary>
public interface IAdditiveNoise : IDiagonalNoise;
