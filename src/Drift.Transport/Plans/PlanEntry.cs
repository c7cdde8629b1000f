namespace Drift.Transport.Plans;

/// <summary>One non-zero entry Pᵢⱼ of a transport plan: <paramref name="Mass"/> moved from source <paramref name="Row"/>
/// to target <paramref name="Column"/>.</summary>
/// <param name="Row">Source index i.</param>
/// <param name="Column">Target index j.</param>
/// <param name="Mass">Pᵢⱼ &gt; 0.</param>
public readonly record struct PlanEntry(int Row, int Column, double Mass);
