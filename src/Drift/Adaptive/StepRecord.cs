namespace Drift.Adaptive;

/// <summary>One attempted step of an adaptive solve.</summary>
/// <param name="Path">Global path index.</param>
/// <param name="Time">Start of the step.</param>
/// <param name="Step">Step size tried.</param>
/// <param name="ErrorEstimate">The scaled error norm (≤ 1 accepts).</param>
/// <param name="Accepted">Whether the step was taken.</param>
public readonly record struct StepRecord(long Path, double Time, double Step, double ErrorEstimate, bool Accepted);
