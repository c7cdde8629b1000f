using Drift.Solve;

namespace Drift.Ensembles.Multilevel;

/// <summary>Settings of <see cref="MultilevelMonteCarlo.Estimate{TSampler}"/> (the names follow Giles 2015, Acta Numerica §2.1).</summary>
public sealed record MultilevelOptions
{
    /// <summary>Target root-mean-square error ε of the estimate.</summary>
    public double TargetRmse { get; init; } = 1e-3;

    /// <summary>Share θ of ε² given to the squared bias; the variance gets (1 − θ)ε². Giles uses ½; Drift defaults to ¼.</summary>
    public double BiasShare { get; init; } = 0.25;

    /// <summary>Pilot samples N₀ on each new level.</summary>
    public long InitialSamples { get; init; } = 1000;

    /// <summary>Levels 0..L_min are always used (L_min ≥ 2 so that rates can be fitted).</summary>
    public int MinLevel { get; init; } = 2;

    /// <summary>The finest level allowed; reaching it without meeting the bias test makes the result not converged.</summary>
    public int MaxLevel { get; init; } = 20;

    /// <summary>Weak-error rate α (|E[P_ℓ − P]| ∝ 2^{−αℓ}); null fits it to the level means (at least ½).</summary>
    public double? Alpha { get; init; }

    /// <summary>Variance rate β (V_ℓ ∝ 2^{−βℓ}); null fits it (at least ½).</summary>
    public double? Beta { get; init; }

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Stops the estimate: <see cref="MultilevelMonteCarlo.Estimate{TSampler}"/> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (!(TargetRmse > 0) || !double.IsFinite(TargetRmse)) throw new ArgumentOutOfRangeException(nameof(TargetRmse), TargetRmse, "target RMSE must be positive and finite.");
        if (!(BiasShare > 0 && BiasShare < 1)) throw new ArgumentOutOfRangeException(nameof(BiasShare), BiasShare, "bias share θ must be in (0, 1).");
        if (InitialSamples < 2) throw new ArgumentOutOfRangeException(nameof(InitialSamples), InitialSamples, "initial samples must be at least 2.");
        if (MinLevel < 2) throw new ArgumentOutOfRangeException(nameof(MinLevel), MinLevel, "the minimum level must be at least 2.");
        if (MaxLevel < MinLevel || MaxLevel > 40) throw new ArgumentOutOfRangeException(nameof(MaxLevel), MaxLevel, $"the maximum level must be in {MinLevel}..40.");
        if (Alpha is { } a && !(a > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), a, "α must be positive.");
        if (Beta is { } b && !(b > 0)) throw new ArgumentOutOfRangeException(nameof(Beta), b, "β must be positive.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be 0 (all cores) or positive.");
    }
}

/// <summary>Statistics of one level.</summary>
/// <param name="Level">ℓ.</param>
/// <param name="Samples">N_ℓ.</param>
/// <param name="Mean">Mean of Y_ℓ = P_ℓ − P_{ℓ−1} (of P₀ on level 0).</param>
/// <param name="Variance">Sample variance V_ℓ of Y_ℓ.</param>
/// <param name="FineMean">Mean of P_ℓ.</param>
/// <param name="FineVariance">Sample variance of P_ℓ (what plain Monte Carlo at this level would face).</param>
/// <param name="Cost">Path steps per sample, C_ℓ.</param>
public sealed record LevelStatistics(int Level, long Samples, double Mean, double Variance, double FineMean, double FineVariance, double Cost);

/// <summary>A multilevel Monte Carlo estimate E[P_L] = Σ_ℓ E[Y_ℓ].</summary>
/// <param name="Price">Σ_ℓ mean(Y_ℓ).</param>
/// <param name="StandardError">√(Σ_ℓ V_ℓ/N_ℓ).</param>
/// <param name="BiasEstimate">Giles' estimate of the weak error of the finest level, max over the last levels of |mean(Y_ℓ)|·2^{−α(L−ℓ)}/(2^α − 1).</param>
/// <param name="Levels">The level table, ℓ = 0..L.</param>
/// <param name="PathSteps">Cost Σ_ℓ N_ℓ C_ℓ: path steps simulated on all levels, fine and coarse.</param>
/// <param name="MonteCarloPathSteps">What plain Monte Carlo on the finest level would spend for the same variance, Var(P_L) C_L^{fine}/((1 − θ)ε²) (Giles 2008).</param>
/// <param name="Alpha">α used at the end.</param>
/// <param name="Beta">β used at the end.</param>
/// <param name="Gamma">Cost rate γ fitted to the C_ℓ.</param>
/// <param name="Status"><see cref="SolveStatus.Success"/> when the variance and bias targets were met;
/// <see cref="SolveStatus.NotConverged"/> when the bias test still failed at <see cref="MultilevelOptions.MaxLevel"/>.</param>
public sealed record MultilevelResult(double Price, double StandardError, double BiasEstimate, IReadOnlyList<LevelStatistics> Levels, double PathSteps, double MonteCarloPathSteps, double Alpha, double Beta, double Gamma, SolveStatus Status);
