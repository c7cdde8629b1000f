using Drift.Random.Resampling;

namespace Drift.Sampling.Smc;

/// <summary>
/// Options of tempered SMC (<see cref="TemperedSmc.Sample{TPrior, TLikelihood}"/>). Defaults: 1000 particles, the next
/// temperature chosen so the conditional ESS is ½N (as <c>particles</c>' <c>AdaptiveTempering</c>), resampling
/// (systematic) when the ESS falls below ½N, then 5 random-walk Metropolis moves per temperature.
/// </summary>
public sealed record TemperedSmcOptions
{
    /// <summary>Number of particles N (≥ 2).</summary>
    public int Particles { get; init; } = 1000;
    /// <summary>
    /// The conditional-ESS fraction τ in (0, 1) that fixes each next temperature (Zhou, Johansen &amp; Aston 2016): β′ solves
    /// CESS(β′) = N (Σᵢ Wᵢ wᵢ)² / Σᵢ Wᵢ wᵢ² = τN with wᵢ = L(xᵢ)^{β′ − β}, by bisection. Larger τ: more, closer temperatures.
    /// </summary>
    public double CessFraction { get; init; } = 0.5;
    /// <summary>Resample when ESS = 1/Σ Wᵢ² falls below this fraction of N (in (0, 1]; 1 resamples at every temperature).</summary>
    public double ResampleThreshold { get; init; } = 0.5;
    /// <summary>The resampling scheme.</summary>
    public ResamplingScheme Resampling { get; init; } = ResamplingScheme.Systematic;
    /// <summary>The move kernel.</summary>
    public SmcKernel Kernel { get; init; } = SmcKernel.RandomWalk;
    /// <summary>Metropolis–Hastings steps per temperature (≥ 0).</summary>
    public int MoveSteps { get; init; } = 5;
    /// <summary>At most this many temperatures; reaching it before β = 1 throws (a likelihood too sharp for N and τ).</summary>
    public int MaxStages { get; init; } = 10_000;
    /// <summary>The seed: the result is a pure function of (seed, options, prior, likelihood), whatever <see cref="Threads"/>.</summary>
    public ulong Seed { get; init; }
    /// <summary>At most this many workers (0, the default: one per core). Never changes a result.</summary>
    public int Threads { get; init; }
    /// <summary>Receives progress after each temperature, or null.</summary>
    public IProgress<SmcProgress>? Progress { get; init; }
    /// <summary>Stops the run between blocks of particles; the call then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    private static ArgumentOutOfRangeException Invalid(string property, object? value, string why)
        => new(property, value, $"TemperedSmcOptions.{property}: {why}");

    internal void Validate()
    {
        if (Particles < 2) throw Invalid(nameof(Particles), Particles, "at least two particles are needed.");
        if (!(CessFraction > 0 && CessFraction < 1)) throw Invalid(nameof(CessFraction), CessFraction, "must lie in (0, 1).");
        if (!(ResampleThreshold > 0 && ResampleThreshold <= 1)) throw Invalid(nameof(ResampleThreshold), ResampleThreshold, "must lie in (0, 1].");
        if (!Enum.IsDefined(Resampling)) throw Invalid(nameof(Resampling), Resampling, "unknown resampling scheme.");
        if (!Enum.IsDefined(Kernel)) throw Invalid(nameof(Kernel), Kernel, "unknown kernel.");
        if (MoveSteps < 0) throw Invalid(nameof(MoveSteps), MoveSteps, "must not be negative.");
        if (MaxStages < 1) throw Invalid(nameof(MaxStages), MaxStages, "must be at least 1.");
        if (Threads < 0) throw Invalid(nameof(Threads), Threads, "must be 0 (one per core) or positive.");
    }
}
