namespace Drift.Sampling.Consensus;

/// <summary>What consensus-based sampling targets.</summary>
public enum CbsMode
{
    /// <summary>Sampling: λ = 1/(1 + α), so that for Gaussian targets e^{−f} the invariant law is exactly e^{−f}/Z.</summary>
    Sampling,
    /// <summary>Optimisation: λ = 1, the cloud contracts onto argmin f as the consensus sharpens.</summary>
    Optimisation,
}

/// <summary>
/// Options of consensus-based sampling (<see cref="Cbs.Sample{TObjective}"/>). Defaults: 1000 particles uniform on
/// [−3, 3]ᵈ, α = 1, sampling mode, Δt = 0.5, 100 steps.
/// </summary>
public sealed record CbsOptions
{
    /// <summary>Number of particles N (≥ 2).</summary>
    public int Particles { get; init; } = 1000;
    /// <summary>α &gt; 0 of the weights e^{−α f}.</summary>
    public double Alpha { get; init; } = 1;
    /// <summary>Sampling (λ = 1/(1 + α)) or optimisation (λ = 1).</summary>
    public CbsMode Mode { get; init; } = CbsMode.Sampling;
    /// <summary>The time step Δt &gt; 0 of the exact Ornstein–Uhlenbeck update.</summary>
    public double StepSize { get; init; } = 0.5;
    /// <summary>Steps (≥ 1).</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Lower corner of the initial box [low, high]ᵈ.</summary>
    public double InitialLow { get; init; } = -3;
    /// <summary>Upper corner of the initial box.</summary>
    public double InitialHigh { get; init; } = 3;
    /// <summary>The seed: the run is a pure function of (seed, options, objective), whatever <see cref="Threads"/>.</summary>
    public ulong Seed { get; init; }
    /// <summary>At most this many workers (0, the default: one per core). Never changes a result.</summary>
    public int Threads { get; init; }
    /// <summary>Receives progress every 1 % of the steps, or null.</summary>
    public IProgress<ConsensusProgress>? Progress { get; init; }
    /// <summary>Stops the run between steps; the call then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        ConsensusValidation.Common(nameof(CbsOptions), Particles, Alpha, StepSize, Steps, InitialLow, InitialHigh, Threads);
        if (!Enum.IsDefined(Mode)) throw ConsensusValidation.Invalid(nameof(CbsOptions), nameof(Mode), Mode, "unknown mode.");
    }
}
