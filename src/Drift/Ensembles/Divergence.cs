namespace Drift.Ensembles;

/// <summary>Why a path was stopped.</summary>
public enum FailureCause
{
    /// <summary>The state became NaN or infinite.</summary>
    NonFinite,
    /// <summary>An adaptive solver needed a step below its minimum.</summary>
    StepSizeTooSmall,
    /// <summary>An adaptive solver hit its step limit before t1.</summary>
    MaxStepsReached,
    /// <summary>An implicit solver's iteration matrix was singular or its Newton iteration did not converge.</summary>
    NotConverged,
}

/// <summary>A path that failed: its state stopped being finite, or an adaptive solver gave up on it.</summary>
/// <param name="Path">Global path index.</param>
/// <param name="Time">End of the first step after which the state was not finite, or the time the solver stopped.</param>
/// <param name="Component">First component that was not finite (−1 when the cause is not the state).</param>
/// <param name="Value">That component's value (NaN, +∞ or −∞), or the offending step size.</param>
/// <param name="Cause">What went wrong.</param>
public readonly record struct Divergence(long Path, double Time, int Component, double Value, FailureCause Cause = FailureCause.NonFinite)
{
    /// <summary>One line for people: which path, when, and why.</summary>
    public override string ToString() => Cause switch
    {
        FailureCause.StepSizeTooSmall => $"path {Path} stopped at t = {Time:G6}: the step size {Value:G3} fell below the minimum",
        FailureCause.MaxStepsReached => $"path {Path} stopped at t = {Time:G6}: the step limit was reached",
        FailureCause.NotConverged => $"path {Path} stopped at t = {Time:G6}: the implicit solver's iteration failed (singular iteration matrix or no Newton convergence)",
        _ => $"path {Path} diverged at t = {Time:G6}: component {Component} became {(double.IsNaN(Value) ? "NaN" : Value > 0 ? "+Inf" : "-Inf")}",
    };
}
