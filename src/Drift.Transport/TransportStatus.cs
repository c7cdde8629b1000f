namespace Drift.Transport;

/// <summary>Why a transport solver stopped.</summary>
public enum TransportStatus
{
    /// <summary>The stopping criterion was met: the marginal error (L1, summed over both marginals) is at most
    /// the requested tolerance, or the exact solver proved optimality (all reduced costs non-negative).</summary>
    Converged,

    /// <summary>The iteration budget ran out before the stopping criterion was met; the result holds the last iterate.</summary>
    MaxIterationsReached,

    /// <summary>An iterate became NaN, infinite or zero where a positive finite value is required (for example the
    /// scaling form of Sinkhorn underflowing at a small ε); <see cref="TransportResult.Message"/> says where.</summary>
    NumericalFailure,

    /// <summary>The caller's cancellation token was signalled; the result holds the last iterate.</summary>
    Cancelled,
}
