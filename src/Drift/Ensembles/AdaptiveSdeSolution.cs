namespace Drift.Ensembles;

/// <summary>An adaptive ensemble's statistics at save times, its work counters and the recorded steps.</summary>
/// <param name="Ensemble">Statistics (and per-path states when kept) at the save times, and failed paths.</param>
/// <param name="Statistics">Accepted and rejected steps, evaluations and step-size range, summed over paths.</param>
/// <param name="Steps">Every attempted step of the recorded paths, by path then time.</param>
public sealed record AdaptiveSdeSolution(EnsembleSolution Ensemble, AdaptiveSdeStatistics Statistics, IReadOnlyList<PathStepRecord> Steps);
