namespace Drift.Sampling;

/// <summary>The Metropolis–Hastings acceptance rule shared by every kernel.</summary>
internal static class Metropolis
{
    /// <summary>
    /// min(1, e^r) for the log Hastings ratio r = log π(y) − log π(x) + log q(x|y) − log q(y|x); 0 when r is NaN
    /// (a proposal outside the support or a non-finite density is never accepted).
    /// </summary>
    public static double AcceptProbability(double logRatio) => logRatio >= 0 ? 1 : double.IsNaN(logRatio) ? 0 : Math.Exp(logRatio);
}
