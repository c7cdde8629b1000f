namespace Drift.Solve.Events;

/// <summary>One located continuous event: which path, when, and which component gᵢ crossed zero.</summary>
/// <param name="Path">Global path index (0 within a single trajectory's own result).</param>
/// <param name="Time">The located event time t*.</param>
/// <param name="Index">The event component i.</param>
/// <param name="Terminated">Whether the path stopped there.</param>
public readonly record struct EventRecord(long Path, double Time, int Index, bool Terminated);
