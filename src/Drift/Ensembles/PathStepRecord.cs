using Drift.Solve.Adaptive;

namespace Drift.Ensembles;

/// <summary>One attempted step of one path of an adaptive SDE ensemble.</summary>
/// <param name="Path">Global path index.</param>
/// <param name="Step">The step: start time, size, scaled error norm (≤ 1 accepts), and whether it was accepted (no stiffness estimate: NaN).</param>
public readonly record struct PathStepRecord(long Path, StepRecord Step);
