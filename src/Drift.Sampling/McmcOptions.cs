namespace Drift.Sampling;

/// <summary>The Markov kernel a run uses.</summary>
public enum SamplerKind
{
    /// <summary>The No-U-Turn sampler as Stan runs it (multinomial sampling, generalised U-turn criterion with the
    /// extra checks across merged subtrees, maximum tree depth, divergence when the energy error exceeds 1000).</summary>
    Nuts,
    /// <summary>Static Hamiltonian Monte Carlo: a fixed number of integrator steps, then a Metropolis test on the energy.</summary>
    Hmc,
    /// <summary>Metropolis-adjusted Langevin: a preconditioned Langevin proposal with the Metropolis–Hastings correction.</summary>
    Mala,
    /// <summary>Random-walk Metropolis with a Gaussian proposal shaped by the metric.</summary>
    Rwm,
    /// <summary>The unadjusted Langevin algorithm: MALA's proposal always accepted (biased by O(ε²) in the stationary law).</summary>
    Ula,
    /// <summary>Underdamped Langevin dynamics by the OBABO splitting, unadjusted: an exact Ornstein–Uhlenbeck half-step
    /// on the momentum (friction <see cref="McmcOptions.Friction"/>), one integrator step, another O half-step; the
    /// momentum persists between transitions. Its stationary law is biased by O(ε²) (on N(0, 1): variance 1/(1 − ε²/4)).</summary>
    Obabo,
    /// <summary>Metropolis-adjusted OBABO, i.e. Horowitz's (1991) generalised HMC with partial momentum refreshment:
    /// the integrator step is accepted with min(1, e^{H₀−H}) and on rejection the momentum is negated; exact for π.</summary>
    Ghmc,
    /// <summary>Underdamped Langevin dynamics by the UBU splitting (Sanz-Serna &amp; Zygalakis 2021), unadjusted: each
    /// transition is B_{ε/2} U_ε B_{ε/2} (B the kick p ← p + (ε/2)∇log π, U_ε the exact flow of the free motion with
    /// friction and noise, <c>Drift.Langevin.Ubu</c>'s U-step), so successive transitions are UBU steps shifted by half
    /// a step; one gradient per transition; the momentum persists. Biased by O(ε²) in the stationary law.</summary>
    Ubu,
    /// <summary>Metropolis-adjusted UBU: the <see cref="Ubu"/> transition x₀ → x₁ (kick) → x₂ (U) → x₃ (kick) accepted
    /// with min(1, exp(H(x₀) − H(x₃) − K(p₁) + K(p₂))), else the momentum of x₀ is negated; exact for π (the U-step
    /// satisfies skew detailed balance for Lebesgue(q)·N(p; 0, M), whence the −K(p₁) + K(p₂) term).</summary>
    MaUbu,
}

/// <summary>The metric (inverse mass matrix / proposal covariance) that warm-up estimates.</summary>
public enum MetricKind
{
    /// <summary>The identity, never adapted.</summary>
    Unit,
    /// <summary>A diagonal metric estimated from the warm-up draws' variances.</summary>
    Diagonal,
    /// <summary>A dense metric estimated from the warm-up draws' covariance.</summary>
    Dense,
}

/// <summary>A symmetric splitting integrator for Hamiltonian dynamics.</summary>
public enum IntegratorKind
{
    /// <summary>Velocity Verlet (leapfrog): kick ½, drift 1, kick ½; order 2, one gradient per step.</summary>
    Leapfrog,
    /// <summary>McLachlan's minimum-error two-stage splitting (McLachlan 1995; λ = 0.1931833275037836 as in Blanes,
    /// Casas &amp; Sanz-Serna 2014): kick λ, drift ½, kick 1 − 2λ, drift ½, kick λ; order 2, two gradients per step.</summary>
    McLachlan,
    /// <summary>Yoshida's fourth-order triple jump (Yoshida 1990): leapfrog steps of w₁ε, w₀ε, w₁ε with
    /// w₁ = 1/(2 − 2^⅓), w₀ = 1 − 2w₁; three gradients per step.</summary>
    Yoshida,
}

/// <summary>
/// Options of an MCMC run (<see cref="Mcmc.Sample{TTarget}"/>). Defaults follow CmdStan: 4 chains, 1000 warm-up
/// iterations, 1000 draws, NUTS with a diagonal metric, δ = 0.8, maximum tree depth 10, initial points uniform on
/// (−2, 2)ᵈ.
/// </summary>
public sealed record McmcOptions
{
    /// <summary>The kernel.</summary>
    public SamplerKind Sampler { get; init; } = SamplerKind.Nuts;
    /// <summary>Number of independent chains (≥ 1).</summary>
    public int Chains { get; init; } = 4;

    /// <summary>
    /// The shard of the run's chains this call samples, or null for all. Shard i of N runs chains
    /// [⌊iC/N⌋, ⌊(i + 1)C/N⌋) of C = <see cref="Chains"/>, each exactly as in the unsharded run: chain c draws from
    /// keys of (seed, c) only, and warm-up adaptation (step size, metric) is per chain, so no chain depends on another.
    /// The result holds those chains (<see cref="McmcResult.FirstChain"/>); <see cref="McmcState.Merge"/> or
    /// <see cref="McmcResult.Concatenate"/> joins the shards into the unsharded result. R̂, ESS and MCSE need every draw
    /// of every chain, so they are computed from the joined result, not merged.
    /// </summary>
    public Drift.Ensembles.Shard? Shard { get; init; }
    /// <summary>Warm-up (adaptation) iterations per chain, discarded (≥ 0).</summary>
    public int Warmup { get; init; } = 1000;
    /// <summary>Kept draws per chain (≥ 1).</summary>
    public int Draws { get; init; } = 1000;
    /// <summary>The seed: draws are a pure function of (seed, chain, iteration), whatever the thread count.</summary>
    public ulong Seed { get; init; }
    /// <summary>The metric that warm-up estimates.</summary>
    public MetricKind Metric { get; init; } = MetricKind.Diagonal;
    /// <summary>Target acceptance δ of dual averaging; null picks 0.8 for NUTS/HMC/OBABO/GHMC/UBU/MaUBU, 0.574 for MALA/ULA, 0.234 for RWM.</summary>
    public double? TargetAcceptance { get; init; }
    /// <summary>Step size before warm-up (Stan's default 1); with <see cref="AdaptStepSize"/> off, the step size used.</summary>
    public double StepSize { get; init; } = 1;
    /// <summary>Whether warm-up adapts the step size by dual averaging.</summary>
    public bool AdaptStepSize { get; init; } = true;
    /// <summary>
    /// Stan's <c>stepsize_jitter</c>: each HMC/NUTS transition uses ε·(1 + j(2u − 1)), u uniform, for j in [0, 1)
    /// (default 0, as Stan). Static HMC with a fixed path length can resonate with a target's periods (draws of x²
    /// then barely mix); jitter breaks that.
    /// </summary>
    public double StepSizeJitter { get; init; }
    /// <summary>NUTS's maximum tree depth (a trajectory has at most 2^depth − 1 steps).</summary>
    public int MaxTreeDepth { get; init; } = 10;
    /// <summary>Energy error above which a trajectory is divergent (Stan: 1000).</summary>
    public double MaxEnergyError { get; init; } = 1000;
    /// <summary>Friction γ &gt; 0 of the OBABO/GHMC/UBU/MaUBU kernels: each O half-step keeps a fraction e^{−γε/2} of the
    /// momentum (a U-step of length ε: e^{−γε}) (γ → ∞: MALA-like full refreshment; γ → 0: Hamiltonian dynamics). Default 1.</summary>
    public double Friction { get; init; } = 1;
    /// <summary>Integrator steps per static-HMC transition.</summary>
    public int HmcSteps { get; init; } = 16;
    /// <summary>The Hamiltonian integrator (HMC and NUTS).</summary>
    public IntegratorKind Integrator { get; init; } = IntegratorKind.Leapfrog;
    /// <summary>Initial points are uniform on (−r, r)ᵈ (Stan: r = 2), redrawn up to 100 times until log π is finite.</summary>
    public double InitRadius { get; init; } = 2;
    /// <summary>Initial point(s): null for random, d values (every chain), or d·chains values (chain-major).</summary>
    public IReadOnlyList<double>? Initial { get; init; }
    /// <summary>Parameter names for output (default x[1] … x[d]).</summary>
    public IReadOnlyList<string>? ParameterNames { get; init; }
    /// <summary>At most this many chains run at once (0, the default: one per core). Never changes a draw.</summary>
    public int Threads { get; init; }
    /// <summary>Receives each chain's progress about a hundred times per run (from worker threads), or null.</summary>
    public IProgress<McmcProgress>? Progress { get; init; }
    /// <summary>Stops the run: <see cref="Mcmc.Sample{TTarget}"/> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The δ in force: <see cref="TargetAcceptance"/> or the sampler's default.</summary>
    public double EffectiveTargetAcceptance => TargetAcceptance ?? Sampler switch
    {
        SamplerKind.Mala or SamplerKind.Ula => 0.574,
        SamplerKind.Rwm => 0.234,
        _ => 0.8,
    };

    private static ArgumentOutOfRangeException Invalid(string property, object? value, string why)
        => new(property, value, $"McmcOptions.{property}: {why}");

    internal void Validate(int dimension)
    {
        if (!Enum.IsDefined(Sampler)) throw Invalid(nameof(Sampler), Sampler, "unknown sampler.");
        if (!Enum.IsDefined(Metric)) throw Invalid(nameof(Metric), Metric, "unknown metric.");
        if (!Enum.IsDefined(Integrator)) throw Invalid(nameof(Integrator), Integrator, "unknown integrator.");
        if (Chains < 1) throw Invalid(nameof(Chains), Chains, "at least one chain is needed.");
        if (Warmup < 0) throw Invalid(nameof(Warmup), Warmup, "must not be negative.");
        if (Draws < 1) throw Invalid(nameof(Draws), Draws, "at least one draw is needed.");
        if (Warmup + (long)Draws >= 1L << 39) throw Invalid(nameof(Draws), Draws, "warm-up plus draws must stay below 2^39.");
        double delta = EffectiveTargetAcceptance;
        if (!(delta > 0 && delta < 1)) throw Invalid(nameof(TargetAcceptance), delta, "must lie in (0, 1).");
        if (!(StepSize > 0) || !double.IsFinite(StepSize)) throw Invalid(nameof(StepSize), StepSize, "must be finite and positive.");
        if (!(StepSizeJitter >= 0 && StepSizeJitter < 1)) throw Invalid(nameof(StepSizeJitter), StepSizeJitter, "must lie in [0, 1).");
        if (MaxTreeDepth is < 1 or > 30) throw Invalid(nameof(MaxTreeDepth), MaxTreeDepth, "must lie in 1..30.");
        if (!(MaxEnergyError > 0)) throw Invalid(nameof(MaxEnergyError), MaxEnergyError, "must be positive.");
        if (!(Friction > 0) || !double.IsFinite(Friction)) throw Invalid(nameof(Friction), Friction, "must be finite and positive.");
        if (HmcSteps < 1) throw Invalid(nameof(HmcSteps), HmcSteps, "at least one step is needed.");
        if (!(InitRadius >= 0) || !double.IsFinite(InitRadius)) throw Invalid(nameof(InitRadius), InitRadius, "must be finite and non-negative.");
        if (Initial is not null && Initial.Count != dimension && Initial.Count != dimension * Chains)
            throw Invalid(nameof(Initial), null, $"Initial has {Initial.Count} values; the target has dimension {dimension} and {Chains} chains, so give {dimension} or {dimension * Chains}.");
        if (ParameterNames is not null && ParameterNames.Count != dimension)
            throw Invalid(nameof(ParameterNames), null, $"ParameterNames has {ParameterNames.Count} names for a target of dimension {dimension}.");
        if (Threads < 0) throw Invalid(nameof(Threads), Threads, "must be 0 (one per core) or positive.");
        if (Shard is { } shard)
        {
            try { shard.Validate(Chains); }
            catch (ArgumentException e) { throw Invalid(nameof(Shard), shard, e.Message.Replace("paths", "chains", StringComparison.Ordinal)); }
        }
    }
}
