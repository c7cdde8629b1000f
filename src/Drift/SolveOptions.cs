using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;

namespace Drift;

/// <summary>
/// Options of <see cref="DiffEq"/>'s one solve: the step-size controller (which alone decides fixed or
/// adaptive steps), save points, paths, randomness, parallelism, outputs, cancellation and progress.
/// </summary>
/// <remarks>
/// Defaults: <see cref="SolveDefaults.Paths"/> (one path: a single trajectory, whose states are kept), chunks of
/// <see cref="SolveDefaults.ChunkSize"/>, the final time only, seed 0, all cores.
/// Tolerances are the controller's (<see cref="PidController.RelativeTolerance"/>,
/// <see cref="PidController.AbsoluteTolerance"/>); for SDEs start from <see cref="PidController.StochasticDefault"/>.
/// </remarks>
public sealed record SolveOptions
{
    /// <summary>
    /// <see cref="ConstantStep"/> (the fixed-grid loop, SIMD across paths) or <see cref="PidController"/>
    /// (every path adapts its own steps by an embedded or step-doubling error estimate).
    /// </summary>
    public required IStepSizeController Controller { get; init; }

    /// <summary>Paths to simulate (default <see cref="SolveDefaults.Paths"/> = 1: a single trajectory).</summary>
    public long Paths { get; init; } = SolveDefaults.Paths;

    /// <summary>Index of the first path, a multiple of 256: paths [FirstPath, FirstPath + Paths) run, so shards merge (<see cref="EnsembleSolution.Merge"/>).</summary>
    public long FirstPath { get; init; }

    /// <summary>
    /// The shard of the run to compute, or null: with a shard, <see cref="Paths"/> is the whole run's P, paths
    /// [⌊iP/N⌋, ⌊(i + 1)P/N⌋) run, and <c>Solution.Ensemble.State</c> holds the <see cref="EnsembleState"/> that
    /// <see cref="EnsembleState.Merge"/> combines into the unsharded solution bit for bit. Constant steps only
    /// (<see cref="EnsembleOptions.Shard"/>; docs/scale-out.md).
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>Seed of every random draw (ignored by ODEs).</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Paths per work item, a positive multiple of 256 (default <see cref="SolveDefaults.ChunkSize"/>; 0 also means the default). Results do not depend on it.</summary>
    public int ChunkSize { get; init; } = SolveDefaults.ChunkSize;

    /// <summary>The chunk size in force: <see cref="ChunkSize"/>, or <see cref="SolveDefaults.ChunkSize"/> when it is 0.</summary>
    internal int EffectiveChunkSize => ChunkSize == 0 ? SolveDefaults.ChunkSize : ChunkSize;

    /// <summary>
    /// Times to record. Fixed steps add save times to the grid; adaptive SDE steps are shortened to land on
    /// them; adaptive ODEs interpolate them from the method's dense output. <see cref="SaveAt.EveryStep"/>
    /// under an adaptive ODE controller needs a single path (every path has its own steps) and is refused for adaptive SDEs.
    /// </summary>
    public SaveAt Save { get; init; } = SaveAt.Final;

    /// <summary>Whether to keep every path's state at every save time (always on for a single path).</summary>
    public bool KeepPaths { get; init; }

    /// <summary>
    /// Whether to keep quantile sketches at save times. A single path keeps none (its one kept value is every
    /// quantile), so a long one-path solve saving every step does not hold a sketch per step.
    /// </summary>
    public bool TrackQuantiles { get; init; } = true;

    /// <summary>Sketches are kept for ensembles only: <see cref="TrackQuantiles"/> and more than one path.</summary>
    internal bool SketchQuantiles => TrackQuantiles && Paths > 1;

    /// <summary>
    /// Adaptive solves keep every attempted step of paths FirstPath … FirstPath + this − 1 in <see cref="Solution.Steps"/>
    /// (an adaptive ODE batch records every path's steps while it runs and keeps these: memory grows with all paths' steps).
    /// </summary>
    public int RecordStepsOfPaths { get; init; }

    /// <summary>Adaptive SDEs: weight δ of the deterministic error term (see <see cref="AdaptiveSdeOptions.DeterministicWeight"/>).</summary>
    public double DeterministicWeight { get; init; } = AdaptiveSdeOptions.DefaultDeterministicWeight;

    /// <summary>Adaptive SDEs: leaf length of the Brownian trees; 0 for min(t1 − t0, 1)·2⁻²⁰.</summary>
    public double BrownianTolerance { get; init; }

    /// <summary>Adaptive ODEs: run Hairer's stiffness test (default true).</summary>
    public bool DetectStiffness { get; init; } = true;

    /// <summary>
    /// Continuous events g(t, x) = 0 (<see cref="ContinuousEvents"/>): located on the dense output of adaptive ODE solves
    /// (explicit pairs and Rosenbrock methods) and by linear interpolation on the step of fixed-step ODE and SDE
    /// solves; each path's events are in <see cref="Solution.Events"/>. Null (the default): none, and every loop is
    /// the one without events. Not yet supported by adaptive SDE solves, Radau, BDF or custom steppers (refused).
    /// </summary>
    public ContinuousEvents? Events { get; init; }

    /// <summary>Callbacks at given times (<see cref="DiscreteCallbacks"/>): steps land on them (fixed grids gain them as grid points). Null: none.</summary>
    public DiscreteCallbacks? Callbacks { get; init; }

    /// <summary>Whether events or callbacks are set.</summary>
    internal bool HasEvents => Events is not null || Callbacks is not null;

    /// <summary>Receives progress after each chunk of paths.</summary>
    public IProgress<SolveProgress>? Progress { get; init; }

    /// <summary>Stops the solve early; the solution then has status <see cref="SolveStatus.Cancelled"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (Controller is null) throw new ArgumentException("set a step-size controller: ConstantStep.WithSteps(n), ConstantStep.WithSize(dt) or a PidController.", nameof(Controller));
        if (Controller is not (ConstantStep or PidController))
            throw new ArgumentException($"unknown step-size controller {Controller.GetType().Name}; use ConstantStep or PidController.", nameof(Controller));
        Controller.Validate();
        if (Paths < 1) throw new ArgumentException($"paths must be at least 1, got {Paths}.", nameof(Paths));
        if (ChunkSize < 0 || ChunkSize % 256 != 0)
            throw new ArgumentException($"chunk size must be 0 (automatic) or a positive multiple of 256, got {ChunkSize}.", nameof(ChunkSize));
        if (Shard is not null && Controller is not ConstantStep)
            throw new ArgumentException("a shard needs constant steps (ConstantStep): adaptive solves do not record shard states yet.", nameof(Shard));
        if (Shard is not null && HasEvents)
            throw new ArgumentException("a shard with events or callbacks is not supported yet: shard states do not carry event records.", nameof(Shard));
        if (RecordStepsOfPaths < 0) throw new ArgumentException($"paths to record must be non-negative, got {RecordStepsOfPaths}.", nameof(RecordStepsOfPaths));
        ArgumentNullException.ThrowIfNull(Save, nameof(Save));
    }

    internal EnsembleOptions ToEnsembleOptions(ConstantStep step) => new()
    {
        Paths = Paths, FirstPath = FirstPath, Steps = step.Steps, Dt = step.Dt, Seed = Seed, Threads = Threads,
        ChunkSize = EffectiveChunkSize, Save = Save, KeepPaths = KeepPaths || Paths == 1, TrackQuantiles = SketchQuantiles,
        Progress = Progress, CancellationToken = CancellationToken, Shard = Shard,
        Events = HasEvents ? new EventSink(Events, Callbacks) : null,
    };

    /// <exception cref="ArgumentException">Events or callbacks are set: adaptive SDE loops do not locate them yet.</exception>
    internal AdaptiveSdeOptions ToAdaptiveSdeOptions(PidController controller) => HasEvents
        ? throw new ArgumentException("events and callbacks are located on the step of fixed-step SDE solves (a ConstantStep controller); adaptive SDE solves do not support them yet (SolveOptions.Events, SolveOptions.Callbacks).")
        : new()
    {
        Paths = Paths, FirstPath = FirstPath, Seed = Seed, Threads = Threads, ChunkSize = EffectiveChunkSize,
        Controller = controller, DeterministicWeight = DeterministicWeight, BrownianTolerance = BrownianTolerance, Save = Save,
        KeepPaths = KeepPaths || Paths == 1, TrackQuantiles = SketchQuantiles, RecordStepsOfPaths = RecordStepsOfPaths,
        Progress = Progress, CancellationToken = CancellationToken,
    };
}
