namespace Drift.Sampling.Smc;

/// <summary>Progress of tempered SMC, reported after each temperature.</summary>
/// <param name="Stage">Stages done (temperatures reached after β = 0).</param>
/// <param name="Temperature">The temperature β reached.</param>
public readonly record struct SmcProgress(int Stage, double Temperature);
