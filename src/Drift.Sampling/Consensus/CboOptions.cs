namespace Drift.Sampling.Consensus;

/// <summary>The diffusion of consensus-based optimisation.</summary>
public enum CboNoise
{
    /// <summary>Component-wise (Carrillo, Jin, Li &amp; Zhu 2021): σ (X − m_α) ⊙ dW, a geometric Brownian motion per coordinate; its drift-rate condition does not depend on d.</summary>
    Anisotropic,
    /// <summary>Isotropic (Pinnau, Totzeck, Tse &amp; Martin 2017): σ |X − m_α| dW, one scalar intensity; needs σ² d &lt; 2λ-type conditions that shrink with d.</summary>
    Isotropic,
}

/// <summary>Progress of a consensus run, reported every 1 % of its steps.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="MinimumObjective">The smallest f over the particles at that step.</param>
public readonly record struct ConsensusProgress(int Step, double MinimumObjective);

/// <summary>
/// Options of consensus-based optimisation (<see cref="Cbo.Minimize{TObjective}"/>). Defaults: 100 particles uniform on
/// [−3, 3]ᵈ, α = 30, λ = 1, σ = 1 with anisotropic noise, Δt = 0.01, at most 10⁴ steps.
/// </summary>
public sealed record CboOptions
{
    /// <summary>Number of particles N (≥ 2).</summary>
    public int Particles { get; init; } = 100;
    /// <summary>α &gt; 0 of the weights e^{−α f}: larger α makes m_α closer to the best particle (Laplace's principle).</summary>
    public double Alpha { get; init; } = 30;
    /// <summary>λ &gt; 0, the drift rate toward the consensus.</summary>
    public double Lambda { get; init; } = 1;
    /// <summary>σ ≥ 0, the exploration noise.</summary>
    public double Sigma { get; init; } = 1;
    /// <summary>The noise form.</summary>
    public CboNoise Noise { get; init; } = CboNoise.Anisotropic;
    /// <summary>The time step Δt &gt; 0 of the Euler–Maruyama scheme.</summary>
    public double StepSize { get; init; } = 0.01;
    /// <summary>The most steps (≥ 1).</summary>
    public int Steps { get; init; } = 10_000;
    /// <summary>Stop early when the particles' root-mean-square distance to m_α per coordinate, √(Σⱼ|xⱼ − m_α|²/(N d)), is below this (0: never).</summary>
    public double Tolerance { get; init; } = 1e-8;
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
        ConsensusValidation.Common(nameof(CboOptions), Particles, Alpha, StepSize, Steps, InitialLow, InitialHigh, Threads);
        if (!(Lambda > 0) || !double.IsFinite(Lambda)) throw ConsensusValidation.Invalid(nameof(CboOptions), nameof(Lambda), Lambda, "must be finite and positive.");
        if (!(Sigma >= 0) || !double.IsFinite(Sigma)) throw ConsensusValidation.Invalid(nameof(CboOptions), nameof(Sigma), Sigma, "must be finite and non-negative.");
        if (!Enum.IsDefined(Noise)) throw ConsensusValidation.Invalid(nameof(CboOptions), nameof(Noise), Noise, "unknown noise.");
        if (!(Tolerance >= 0)) throw ConsensusValidation.Invalid(nameof(CboOptions), nameof(Tolerance), Tolerance, "must be non-negative.");
    }
}

/// <summary>Checks shared by the consensus options records.</summary>
internal static class ConsensusValidation
{
    public static ArgumentOutOfRangeException Invalid(string record, string property, object? value, string why)
        => new(property, value, $"{record}.{property}: {why}");

    public static void Common(string record, int particles, double alpha, double stepSize, int steps, double low, double high, int threads)
    {
        if (particles < 2) throw Invalid(record, "Particles", particles, "at least two particles are needed.");
        if (!(alpha > 0) || !double.IsFinite(alpha)) throw Invalid(record, "Alpha", alpha, "must be finite and positive.");
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw Invalid(record, "StepSize", stepSize, "must be finite and positive.");
        if (steps < 1) throw Invalid(record, "Steps", steps, "at least one step is needed.");
        if (!double.IsFinite(low) || !double.IsFinite(high) || !(low < high)) throw Invalid(record, "InitialHigh", high, $"the initial box [{low}, {high}] must be finite with low < high.");
        if (threads < 0) throw Invalid(record, "Threads", threads, "must be 0 (one per core) or positive.");
    }
}
