namespace Drift.Solve;

/// <summary>
/// The compile-time noise trait of a diffusion with scalar or diagonal noise (<see cref="NoiseKind.Scalar"/>,
/// <see cref="NoiseKind.Diagonal"/>) for every instance of its type: one Brownian motion, or g = diag(g_1 … g_d) with
/// g_i depending on x_i only, so the noise is commutative and Milstein-type solvers need no Lévy area.
/// Diagonal ⊂ general: such a diffusion is accepted wherever an <see cref="IGeneralNoise"/> is.
/// </summary>
public interface IDiagonalNoise : IGeneralNoise;
