using Drift.Brownian.Construction;
using Drift.Random.Qmc;

namespace Drift.Models.Finance;

/// <summary>How <see cref="GbmPathPricing"/> samples: method, path construction, sizes, control variate, seed.</summary>
public sealed record PathPricingOptions
{
    /// <summary>Monte Carlo or randomised quasi-Monte Carlo.</summary>
    public SamplingMethod Method { get; init; } = SamplingMethod.QuasiMonteCarlo;

    /// <summary>How normals become the Brownian path (the Brownian bridge puts the most variance on the first Sobol' coordinates).</summary>
    public PathConstruction Construction { get; init; } = PathConstruction.BrownianBridge;

    /// <summary>Equally spaced monitoring dates n (the path is sampled exactly at t_i = iT/n).</summary>
    public int Dates { get; init; } = 16;

    /// <summary>Paths per randomisation (a power of two keeps Sobol' nets whole); with a target, the first batch.</summary>
    public long Paths { get; init; } = 4096;

    /// <summary>
    /// Independent replicates R: scrambles of the Sobol' points, or disjoint Philox streams for Monte Carlo. The price is
    /// their mean and the standard error their sample standard deviation / √R.
    /// </summary>
    public int Randomizations { get; init; } = 16;

    /// <summary>
    /// For the arithmetic Asian payoff: subtract b(G − E G) with G the geometric Asian payoff, E G its closed form
    /// (<see cref="GeometricAsian"/>) and b = Cov(A, G)/Var(G) estimated from all paths (Kemna &amp; Vorst 1990).
    /// </summary>
    public bool ControlVariate { get; init; }

    /// <summary>When set, double the paths per randomisation until the standard error is at most this (or <see cref="MaxPaths"/>).</summary>
    public double? TargetStandardError { get; init; }

    /// <summary>Upper bound on paths per randomisation.</summary>
    public long MaxPaths { get; init; } = 1L << 24;

    /// <summary>Seed of the scrambles or of the Philox streams.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (randomisations run in parallel); 0 means one per core.</summary>
    public int Threads { get; init; }

    internal void Validate()
    {
        if (Dates < 1 || Dates > SobolQmcLimit) throw new ArgumentOutOfRangeException(nameof(Dates), Dates, $"dates must be in 1..{SobolQmcLimit}.");
        if (Paths < 1) throw new ArgumentOutOfRangeException(nameof(Paths), Paths, "paths must be at least 1.");
        if (Randomizations < 2) throw new ArgumentOutOfRangeException(nameof(Randomizations), Randomizations, "at least 2 randomisations are needed for a standard error.");
        if (MaxPaths < Paths) throw new ArgumentException($"max paths ({MaxPaths}) is below paths ({Paths}).", nameof(MaxPaths));
        if (Method == SamplingMethod.QuasiMonteCarlo && MaxPaths > SobolSequence.MaxPoints)
            throw new ArgumentOutOfRangeException(nameof(MaxPaths), MaxPaths, "a Sobol' sequence has 2^32 points.");
        if (TargetStandardError is { } e && !(e > 0)) throw new ArgumentOutOfRangeException(nameof(TargetStandardError), e, "target standard error must be positive.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be 0 (all cores) or positive.");
        if (!Enum.IsDefined(Method)) throw new ArgumentOutOfRangeException(nameof(Method), Method, "unknown sampling method.");
    }

    private const int SobolQmcLimit = SobolSequence.MaxDimensions;
}

/// <summary>A path-sampled price with the error estimate of its method.</summary>
/// <param name="Price">Mean over randomisations of the discounted mean payoff.</param>
/// <param name="StandardError">Standard deviation of the R randomisation means / √R.</param>
/// <param name="PathsPerRandomization">Paths in each randomisation.</param>
/// <param name="Randomizations">R.</param>
/// <param name="PathSteps">Cost: paths × dates over all randomisations.</param>
/// <param name="ReachedTarget">False when a target standard error was set and the path cap stopped the doubling.</param>
/// <param name="ControlVariateCoefficient">b when the geometric control variate was used, else NaN.</param>
public sealed record PathPriceEstimate(double Price, double StandardError, long PathsPerRandomization, int Randomizations, long PathSteps, bool ReachedTarget, double ControlVariateCoefficient);
