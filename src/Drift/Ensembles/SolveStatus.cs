namespace Drift.Ensembles;

/// <summary>
/// Why a solve stopped: one vocabulary for every solve. <see cref="Drift.DiffEq.Solve{TDrift, TDiffusion, TSolver}"/>
/// reports <see cref="Success"/>, <see cref="MaxSteps"/>, <see cref="StepTooSmall"/>, <see cref="NonFinite"/> or
/// <see cref="Cancelled"/> (for an ensemble, the cause of the lowest-indexed failed path; every failed path is listed
/// with its own cause). The specialised <see cref="Ensemble"/> and <see cref="AdaptiveSde"/> layer summarises any
/// failed path as <see cref="Diverged"/>.
/// </summary>
public enum SolveStatus
{
    /// <summary>Every path reached t1 with a finite state.</summary>
    Success,
    /// <summary>At least one path failed (its state became NaN or infinite, or an adaptive solver gave up on it); those paths are excluded from the statistics and listed in the solution.</summary>
    Diverged,
    /// <summary>The cancellation token fired; the solution holds the paths that finished.</summary>
    Cancelled,
    /// <summary>A path ran out of attempted steps (the controller's MaxSteps) before t1.</summary>
    MaxSteps,
    /// <summary>A path needed a step below the controller's minimum: the tolerance cannot be met there.</summary>
    StepTooSmall,
    /// <summary>A path's state (or a stage) became NaN or ±∞.</summary>
    NonFinite,
    /// <summary>An iteration did not converge: a stiff solver's iteration matrix was singular, or its Newton iteration failed at a step it may not shrink (the message says which, with time and component).</summary>
    NotConverged,
}
