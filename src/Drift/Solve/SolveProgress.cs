namespace Drift.Solve;

/// <summary>Progress of a solve over many paths (an ensemble, a batch of adaptive ODE paths, a jump simulation), reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="PathsDone">Paths finished so far.</param>
/// <param name="PathsTotal">Paths in the solve.</param>
public readonly record struct SolveProgress(long PathsDone, long PathsTotal)
{
    /// <summary>Fraction finished in [0, 1].</summary>
    public double Fraction => PathsTotal == 0 ? 1.0 : (double)PathsDone / PathsTotal;
}
