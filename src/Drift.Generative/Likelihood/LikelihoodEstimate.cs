namespace Drift.Generative.Likelihood;

/// <summary>The negative log-likelihood of a set of points (see <see cref="DataLikelihood"/>).</summary>
/// <param name="PerPoint">−log p_ε(x) of each point, in nats.</param>
/// <param name="Mean">The mean NLL in nats per point.</param>
/// <param name="StandardError">Its standard error sd/√n.</param>
/// <param name="Dimension">d.</param>
/// <param name="StartTime">The data time ε.</param>
/// <param name="EndTime">The prior time T.</param>
public sealed record LikelihoodEstimate(double[] PerPoint, double Mean, double StandardError, int Dimension, double StartTime, double EndTime)
{
    /// <summary>Bits per dimension: Mean/(d ln 2).</summary>
    public double BitsPerDimension => Mean / (Dimension * Math.Log(2));
}
