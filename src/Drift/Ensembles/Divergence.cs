using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>A path that failed: its state stopped being finite, or an adaptive solver gave up on it.</summary>
/// <param name="Path">Global path index.</param>
/// <param name="Time">End of the first step after which the state was not finite, or the time the solver stopped.</param>
/// <param name="Component">First component that was not finite (−1 when the cause is not the state).</param>
/// <param name="Value">That component's value (NaN, +∞ or −∞), or the offending step size.</param>
/// <param name="Cause">What went wrong: <see cref="SolveStatus.NonFinite"/>, <see cref="SolveStatus.StepTooSmall"/>, <see cref="SolveStatus.MaxSteps"/>, or (a stiff ODE, an implicit SDE solver) <see cref="SolveStatus.NotConverged"/> or <see cref="SolveStatus.SingularJacobian"/>.</param>
public readonly record struct Divergence(long Path, double Time, int Component, double Value, SolveStatus Cause = SolveStatus.NonFinite)
{
    /// <summary>One line for people: which path, when, and why.</summary>
    public override string ToString() => Cause switch
    {
        SolveStatus.StepTooSmall => $"path {Path} stopped at t = {Time:G6}: the step size {Value:G3} fell below the minimum (the error estimate stayed above the tolerance: is it reachable?)",
        SolveStatus.MaxSteps => $"path {Path} stopped at t = {Time:G6}: the step limit was reached",
        SolveStatus.NonFinite => $"path {Path} diverged at t = {Time:G6}: component {Component} became {(double.IsNaN(Value) ? "NaN" : Value > 0 ? "+Inf" : "-Inf")}",
        SolveStatus.NotConverged => $"path {Path} stopped at t = {Time:G6}: the implicit solver's iteration failed (no Newton convergence)",
        SolveStatus.SingularJacobian => $"path {Path} stopped at t = {Time:G6}: the implicit solver's iteration matrix was singular",
        _ => $"path {Path} stopped at t = {Time:G6}: {Cause}",
    };
}
