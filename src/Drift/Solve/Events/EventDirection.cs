namespace Drift.Solve.Events;

/// <summary>Which zero crossings of an event component gᵢ count.</summary>
public enum EventDirection
{
    /// <summary>Both: gᵢ goes from negative to ≥ 0, or from positive to ≤ 0.</summary>
    Either,
    /// <summary>Upward only: gᵢ goes from negative to ≥ 0.</summary>
    Up,
    /// <summary>Downward only: gᵢ goes from positive to ≤ 0.</summary>
    Down,
}
