namespace Drift.Sampling.Stochastic;

/// <summary>The stochastic-gradient dynamics (<see cref="Sgmcmc.Sample{TTarget}"/>).</summary>
public enum SgmcmcKind
{
    /// <summary>Stochastic-gradient Langevin dynamics (Welling &amp; Teh 2011): θ ← θ + (ε/2) ĝ(θ) + √(εT) ξ.</summary>
    Sgld,
    /// <summary>Stochastic-gradient Hamiltonian Monte Carlo with friction (Chen, Fox &amp; Guestrin 2014, eq. (5), unit mass):
    /// θ ← θ + ε r; r ← r + ε ĝ(θ) − εC r + √(2ε(CT − B̂)) ξ.</summary>
    Sghmc,
}

/// <summary>
/// Options of a stochastic-gradient MCMC run. Every chain runs <see cref="Iterations"/> updates; iteration t is kept
/// as a draw when t ≥ <see cref="Burnin"/>, the schedule samples at t (not an exploration stage), and it is the
/// <see cref="Thin"/>-th such iteration.
/// </summary>
public sealed record SgmcmcOptions
{
    /// <summary>The dynamics.</summary>
    public SgmcmcKind Sampler { get; init; } = SgmcmcKind.Sgld;
    /// <summary>The step-size schedule ε_t (default constant 1e-3).</summary>
    public StepSchedule Schedule { get; init; } = StepSchedule.Constant(1e-3);
    /// <summary>Minibatch size |B| (0, the default: the full data set, N).</summary>
    public int BatchSize { get; init; }
    /// <summary>Temperature T &gt; 0: the dynamics target π^{1/T} (T &lt; 1: a "cold" posterior, Wenzel et al. 2020) by
    /// scaling the injected noise variance by T; T = 1 is the posterior.</summary>
    public double Temperature { get; init; } = 1;
    /// <summary>SGHMC's friction C &gt; 0 (per unit time; unit mass).</summary>
    public double Friction { get; init; } = 1;
    /// <summary>
    /// SGHMC: subtract the estimate B̂ = ½ ε V̂ of the noise the minibatch gradient already injects (Chen et al. 2014,
    /// §3.2). V̂ (diagonal) comes from the two halves of each minibatch: with ĝ₁, ĝ₂ their N/|Bₖ|-scaled gradients,
    /// (1 − |B|/N)(ĝ₁ − ĝ₂)²/4 estimates the variance of the full minibatch gradient, smoothed by an exponential moving
    /// average with weight 0.1. B̂ is capped at C·T. With the full batch V̂ = 0.
    /// </summary>
    public bool EstimateGradientNoise { get; init; }
    /// <summary>Number of independent chains (≥ 1).</summary>
    public int Chains { get; init; } = 4;
    /// <summary>Updates per chain (≥ 1).</summary>
    public int Iterations { get; init; } = 10_000;
    /// <summary>Iterations before any draw is kept (≥ 0).</summary>
    public int Burnin { get; init; }
    /// <summary>Keep every Thin-th sampling iteration (≥ 1).</summary>
    public int Thin { get; init; } = 1;
    /// <summary>The seed: draws are a pure function of (seed, chain, iteration), whatever the thread count.</summary>
    public ulong Seed { get; init; }
    /// <summary>Initial point(s): d values (every chain) or d·chains values (chain-major); null starts at 0.</summary>
    public IReadOnlyList<double>? Initial { get; init; }
    /// <summary>Parameter names for output (default θ[1] … θ[d]).</summary>
    public IReadOnlyList<string>? ParameterNames { get; init; }
    /// <summary>At most this many chains run at once (0, the default: one per core). Never changes a draw.</summary>
    public int Threads { get; init; }
    /// <summary>Receives each chain's progress about a hundred times per run (from worker threads), or null.</summary>
    public IProgress<McmcProgress>? Progress { get; init; }
    /// <summary>Stops the run: <see cref="Sgmcmc.Sample{TTarget}"/> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    private static ArgumentOutOfRangeException Invalid(string property, object? value, string why)
        => new(property, value, $"SgmcmcOptions.{property}: {why}");

    internal void Validate(int dimension, int dataCount)
    {
        if (!Enum.IsDefined(Sampler)) throw Invalid(nameof(Sampler), Sampler, "unknown sampler.");
        if (Schedule is null) throw Invalid(nameof(Schedule), null, "a step-size schedule is needed.");
        if (BatchSize < 0 || BatchSize > dataCount) throw Invalid(nameof(BatchSize), BatchSize, $"must lie in 0 … N = {dataCount} (0: the full batch).");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw Invalid(nameof(Temperature), Temperature, "must be finite and positive.");
        if (!(Friction > 0) || !double.IsFinite(Friction)) throw Invalid(nameof(Friction), Friction, "must be finite and positive.");
        if (Chains < 1) throw Invalid(nameof(Chains), Chains, "at least one chain is needed.");
        if (Iterations < 1) throw Invalid(nameof(Iterations), Iterations, "at least one iteration is needed.");
        if (Burnin < 0 || Burnin >= Iterations) throw Invalid(nameof(Burnin), Burnin, $"must lie in 0 … Iterations − 1 = {Iterations - 1}.");
        if (Thin < 1) throw Invalid(nameof(Thin), Thin, "must be at least 1.");
        if (Initial is not null && Initial.Count != dimension && Initial.Count != dimension * Chains)
            throw Invalid(nameof(Initial), null, $"Initial has {Initial.Count} values; the target has dimension {dimension} and {Chains} chains, so give {dimension} or {dimension * Chains}.");
        if (Initial is not null && Initial.Any(v => !double.IsFinite(v))) throw Invalid(nameof(Initial), null, "initial values must be finite.");
        if (ParameterNames is not null && ParameterNames.Count != dimension)
            throw Invalid(nameof(ParameterNames), null, $"ParameterNames has {ParameterNames.Count} names for a target of dimension {dimension}.");
        if (Threads < 0) throw Invalid(nameof(Threads), Threads, "must be 0 (one per core) or positive.");
    }
}
