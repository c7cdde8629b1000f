using Drift.Solve;

namespace Drift.Analysis;

/// <summary>How a Lyapunov spectrum is estimated (Benettin et al. 1980; Shimada &amp; Nagashima 1979).</summary>
public sealed record LyapunovOptions
{
    /// <summary>Fixed RK4 step h for the state and its variational equations (time units; default 0.01).</summary>
    public double Step { get; init; } = 0.01;

    /// <summary>Time integrated and discarded before measuring, so trajectories settle on the attractor (default 50).</summary>
    public double Transient { get; init; } = 50;

    /// <summary>Measurement time T per trajectory; exponents are log-growth sums divided by T (default 500).</summary>
    public double Time { get; init; } = 500;

    /// <summary>How many exponents k ≤ d to compute (null: all d).</summary>
    public int? Exponents { get; init; }

    /// <summary>Independent trajectories (initial conditions) averaged for the estimate and its confidence interval (default 8, at least 2).</summary>
    public int Trajectories { get; init; } = 8;

    /// <summary>Initial conditions are x0 + s·Z with Z standard normal, s this spread (default 0.1).</summary>
    public double Spread { get; init; } = 0.1;

    /// <summary>Steps between QR re-orthonormalisations of the tangent vectors (default 10).</summary>
    public int ReorthonormaliseEvery { get; init; } = 10;

    /// <summary>Seed of the initial-condition spread.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Receives the trajectories finished and the total, as every run over paths reports them (<see cref="SolveProgress"/>).</summary>
    public IProgress<SolveProgress>? Progress { get; init; }

    /// <summary>Stops the analysis early (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (!(Step > 0) || !double.IsFinite(Step)) throw new ArgumentException($"step must be positive and finite, got {Step}.", nameof(Step));
        if (!(Transient >= 0) || !double.IsFinite(Transient)) throw new ArgumentException($"transient must be non-negative and finite, got {Transient}.", nameof(Transient));
        if (!(Time > 0) || !double.IsFinite(Time)) throw new ArgumentException($"time must be positive and finite, got {Time}.", nameof(Time));
        if (Time / Step > 1e9 || Transient / Step > 1e9) throw new ArgumentException($"time {Time} and transient {Transient} need more than 1e9 steps of {Step}.", nameof(Step));
        if (Exponents is < 1) throw new ArgumentException($"exponents must be at least 1, got {Exponents}.", nameof(Exponents));
        if (Trajectories < 2) throw new ArgumentException($"at least 2 trajectories are needed for a confidence interval, got {Trajectories}.", nameof(Trajectories));
        if (!(Spread >= 0) || !double.IsFinite(Spread)) throw new ArgumentException($"spread must be non-negative and finite, got {Spread}.", nameof(Spread));
        if (ReorthonormaliseEvery < 1) throw new ArgumentException($"re-orthonormalisation interval must be at least 1 step, got {ReorthonormaliseEvery}.", nameof(ReorthonormaliseEvery));
        if (Threads < 0) throw new ArgumentException($"threads must be 0 (all cores) or positive, got {Threads}.", nameof(Threads));
    }
}
