using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Ensembles;

/// <summary>
/// Options of an adaptive SDE ensemble: each path chooses its own steps by an embedded error
/// estimate and a step-size controller, over its own queryable Brownian path
/// (<see cref="Brownian.BrownianTree"/>), so rejected steps never bias the noise.
/// </summary>
public sealed record AdaptiveSdeOptions
{
    /// <summary>Paths to simulate (default <see cref="SolveDefaults.Paths"/>).</summary>
    public long Paths { get; init; } = SolveDefaults.Paths;
    /// <summary>Index of the first path (for shards); a multiple of 256.</summary>
    public long FirstPath { get; init; }
    /// <summary>Seed of every random draw.</summary>
    public ulong Seed { get; init; }
    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }
    /// <summary>Paths per work item, a multiple of 256 (default <see cref="SolveDefaults.ChunkSize"/>). Results do not depend on it.</summary>
    public int ChunkSize { get; init; } = SolveDefaults.ChunkSize;
    /// <summary>
    /// Tolerances, step limits and controller gains. The SDE default is integral control
    /// (β₁ = 1) with rtol = 10⁻³, atol = 10⁻⁶, growth at most 2× per step and 10⁶ attempted steps per
    /// path; MinStep 0 means 2 × the Brownian tolerance (at most 1.9·10⁻⁶) (steps at least a leaf long have endpoints in different leaves, where the tree is exact), InitialStep 0 means (t1 − t0)/100.
    /// The error exponents are βᵢ/(p + ½), p the solver's strong order.
    /// </summary>
    public PidController Controller { get; init; } = DefaultController;

    /// <summary>The default controller of adaptive SDE solves.</summary>
    public static PidController DefaultController => PidController.StochasticDefault;

    /// <summary>
    /// Weight δ of the deterministic error term E₁. Default 1: E₁ is the embedded difference to Euler's drift
    /// step, a true local error estimate, weighed as an ODE solver weighs its own. (Rackauckas &amp; Nie 2017 use
    /// 1/6 with their E₁ = h(f₁ + f₂), the whole drift increment, which overstates the error by O(1/h).)
    /// </summary>
    public double DeterministicWeight { get; init; } = DefaultDeterministicWeight;

    /// <summary>The default of <see cref="DeterministicWeight"/>, shared with the one solve entry point's options.</summary>
    public const double DefaultDeterministicWeight = 1.0;
    /// <summary>Leaf length of the Brownian trees; 0 for min(t1 − t0, 1)·2⁻²⁰ (so the tree's depth grows with long spans instead of capping the step).</summary>
    public double BrownianTolerance { get; init; }
    /// <summary>Times to record (final time by default); steps are shortened to land on them.</summary>
    public SaveAt Save { get; init; } = SaveAt.Final;
    /// <summary>Whether to keep every path's state at every save time.</summary>
    public bool KeepPaths { get; init; }
    /// <summary>Whether to keep quantile sketches.</summary>
    public bool TrackQuantiles { get; init; } = true;
    /// <summary>Per-step records (time, step, error estimate, accepted) are kept for paths FirstPath … FirstPath + this − 1.</summary>
    public int RecordStepsOfPaths { get; init; }
    /// <summary>
    /// Lanes of the SIMD adaptive loop (paths stepped together, each with its own time and step): 0 for the default
    /// (128, at most the chunk), −1 to force the per-path loop. Results do not depend on it (tested); internal, for tests.
    /// </summary>
    internal int LaneWidth { get; init; }
    /// <summary>Receives progress after each chunk.</summary>
    public IProgress<SolveProgress>? Progress { get; init; }
    /// <summary>Stops the solve early.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Controller);
        Controller.Validate();
        if (Controller.FixedStep > 0) throw new ArgumentException("adaptive SDE solves do not take a fixed step; use Ensemble.Solve for fixed steps.", nameof(Controller));
        if (!(DeterministicWeight >= 0) || !double.IsFinite(DeterministicWeight))
            throw new ArgumentException($"the deterministic error weight must be finite and ≥ 0, got {DeterministicWeight}.", nameof(DeterministicWeight));
        if (!(BrownianTolerance >= 0) || !double.IsFinite(BrownianTolerance))
            throw new ArgumentException($"the Brownian tolerance must be finite and ≥ 0, got {BrownianTolerance}.", nameof(BrownianTolerance));
        if (LaneWidth < -1) throw new ArgumentException($"the lane width must be ≥ −1, got {LaneWidth}.", nameof(LaneWidth));
        if (RecordStepsOfPaths < 0) throw new ArgumentException($"paths to record must be non-negative, got {RecordStepsOfPaths}.", nameof(RecordStepsOfPaths));
        if (Save.EveryKSteps > 0) throw new ArgumentException("adaptive solves save at given times (SaveAt.Times) or the final time, not every k-th step.", nameof(Save));
    }

    internal EnsembleOptions ToEnsembleOptions() => new()
    {
        Paths = Paths, FirstPath = FirstPath, Seed = Seed, Threads = Threads, ChunkSize = ChunkSize, Save = Save,
        KeepPaths = KeepPaths, TrackQuantiles = TrackQuantiles, Progress = Progress, CancellationToken = CancellationToken, Steps = 1,
    };
}
