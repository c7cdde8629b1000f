namespace Drift.Cli.Output;

/// <summary>What was run, for reports.</summary>
public sealed record RunSummary(string Model, string Solver, long Paths, int Steps, double T1, ulong Seed, double Seconds)
{
    /// <summary>Step counters of an adaptive solve, or null.</summary>
    public SolveStatistics? Adaptive { get; init; }
}
