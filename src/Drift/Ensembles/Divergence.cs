namespace Drift.Ensembles;

/// <summary>A path whose state stopped being finite.</summary>
/// <param name="Path">Global path index.</param>
/// <param name="Time">End of the first step after which the state was not finite.</param>
/// <param name="Component">First component that was not finite.</param>
/// <param name="Value">That component's value (NaN, +∞ or −∞).</param>
public readonly record struct Divergence(long Path, double Time, int Component, double Value)
{
    /// <summary>One line for people: which path, when, and why.</summary>
    public override string ToString() =>
        $"path {Path} diverged at t = {Time:G6}: component {Component} became {(double.IsNaN(Value) ? "NaN" : Value > 0 ? "+Inf" : "-Inf")}";
}
