namespace Drift.Solve;

/// <summary>
/// The defaults shared by every options record that runs paths (<c>SolveOptions</c>, <c>EnsembleOptions</c>,
/// <c>AdaptiveSdeOptions</c>, <c>JumpOptions</c>, and so the Langevin ensembles that take <c>EnsembleOptions</c>):
/// one place, so the layers cannot drift apart.
/// </summary>
public static class SolveDefaults
{
    /// <summary>
    /// Paths (runs) when none are asked for: 1, a single trajectory, whose states are kept. An ensemble is the same
    /// call with a path count; there is no hidden default ensemble size, so a Monte Carlo estimate always states its own.
    /// </summary>
    public const long Paths = 1;

    /// <summary>
    /// Paths per work item: 256, the block over which moments are reduced (so every chunk is whole blocks and results
    /// do not depend on it). Small enough that an adaptive solve, whose paths take different numbers of steps, balances
    /// across cores at a few thousand paths; large enough that a fixed-step loop's SIMD work across paths dominates the
    /// per-chunk overhead. Any positive multiple of 256 gives the same bits.
    /// </summary>
    public const int ChunkSize = 256;
}
