namespace Drift.Ensembles;

/// <summary>Progress of an ensemble solve.</summary>
/// <param name="PathsDone">Paths finished so far.</param>
/// <param name="PathsTotal">Paths in the solve.</param>
public readonly record struct EnsembleProgress(long PathsDone, long PathsTotal)
{
    /// <summary>Fraction finished in [0, 1].</summary>
    public double Fraction => PathsTotal == 0 ? 1.0 : (double)PathsDone / PathsTotal;
}
