namespace Drift.Ensembles;

/// <summary>Why a solve stopped.</summary>
public enum SolveStatus
{
    /// <summary>Every path reached t1 with a finite state.</summary>
    Success,
    /// <summary>At least one path's state became NaN or infinite; those paths are excluded from the statistics and listed in the solution.</summary>
    Diverged,
    /// <summary>The cancellation token fired; the solution holds the paths that finished.</summary>
    Cancelled,
}
