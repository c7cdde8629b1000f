using Drift.Ensembles;

namespace Drift.Adaptive;

/// <summary>
/// Options of an adaptive SDE ensemble: each path chooses its own steps by an embedded error
/// estimate and a step-size controller, over its own queryable Brownian path
/// (<see cref="Brownian.BrownianTree"/>), so rejected steps never bias the noise.
/// </summary>
public sealed record AdaptiveSdeOptions
{
    /// <summary>Paths to simulate.</summary>
    public long Paths { get; init; } = 1000;
    /// <summary>Index of the first path (for shards); a multiple of 256.</summary>
    public long FirstPath { get; init; }
    /// <summary>Seed of every random draw.</summary>
    public ulong Seed { get; init; }
    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }
    /// <summary>Paths per work item, a multiple of 256.</summary>
    public int ChunkSize { get; init; } = 256;
    /// <summary>Relative tolerance rtol.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;
    /// <summary>Absolute tolerance atol.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;
    /// <summary>Weight δ of the deterministic error term (Rackauckas &amp; Nie 2017 use 1/6).</summary>
    public double DeterministicWeight { get; init; } = 1.0 / 6.0;
    /// <summary>First step size; null for (t1 − t0)/100.</summary>
    public double? InitialStep { get; init; }
    /// <summary>Smallest step allowed; a path that needs less stops with <see cref="FailureCause.StepSizeTooSmall"/>. Null for 64 × the Brownian tolerance.</summary>
    public double? MinStep { get; init; }
    /// <summary>Largest step allowed; null for t1 − t0.</summary>
    public double? MaxStep { get; init; }
    /// <summary>Attempted steps per path before it stops with <see cref="FailureCause.MaxStepsReached"/>.</summary>
    public int MaxSteps { get; init; } = 1_000_000;
    /// <summary>Safety factor of the controller.</summary>
    public double Safety { get; init; } = 0.9;
    /// <summary>Smallest step-size ratio per step.</summary>
    public double MinFactor { get; init; } = 0.2;
    /// <summary>Largest step-size ratio per step.</summary>
    public double MaxFactor { get; init; } = 2.0;
    /// <summary>Leaf length of the Brownian trees; 0 for (t1 − t0)·2⁻²⁴.</summary>
    public double BrownianTolerance { get; init; }
    /// <summary>Times to record (final time by default); steps are shortened to land on them.</summary>
    public SaveAt Save { get; init; } = SaveAt.Final;
    /// <summary>Whether to keep every path's state at every save time.</summary>
    public bool KeepPaths { get; init; }
    /// <summary>Whether to keep quantile sketches.</summary>
    public bool TrackQuantiles { get; init; } = true;
    /// <summary>Per-step records (time, step, error estimate, accepted) are kept for paths FirstPath … FirstPath + this − 1.</summary>
    public int RecordStepsOfPaths { get; init; }
    /// <summary>Receives progress after each chunk.</summary>
    public IProgress<EnsembleProgress>? Progress { get; init; }
    /// <summary>Stops the solve early.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (!(RelativeTolerance >= 0) || !(AbsoluteTolerance >= 0) || RelativeTolerance + AbsoluteTolerance == 0 || !double.IsFinite(RelativeTolerance) || !double.IsFinite(AbsoluteTolerance))
            throw new ArgumentException($"tolerances must be non-negative and not both zero, got rtol = {RelativeTolerance}, atol = {AbsoluteTolerance}.");
        if (!(Safety > 0 && Safety <= 1)) throw new ArgumentException($"safety must lie in (0, 1], got {Safety}.", nameof(Safety));
        if (!(MinFactor > 0 && MinFactor < 1)) throw new ArgumentException($"min factor must lie in (0, 1), got {MinFactor}.", nameof(MinFactor));
        if (!(MaxFactor > 1)) throw new ArgumentException($"max factor must exceed 1, got {MaxFactor}.", nameof(MaxFactor));
        if (MaxSteps < 1) throw new ArgumentException($"max steps must be positive, got {MaxSteps}.", nameof(MaxSteps));
        if (InitialStep is { } h0 && !(h0 > 0)) throw new ArgumentException($"initial step must be positive, got {h0}.", nameof(InitialStep));
        if (MinStep is { } lo && !(lo >= 0)) throw new ArgumentException($"min step must be non-negative, got {lo}.", nameof(MinStep));
        if (MaxStep is { } hi && !(hi > 0)) throw new ArgumentException($"max step must be positive, got {hi}.", nameof(MaxStep));
        if (RecordStepsOfPaths < 0) throw new ArgumentException($"paths to record must be non-negative, got {RecordStepsOfPaths}.", nameof(RecordStepsOfPaths));
        if (Save.EveryKSteps > 0) throw new ArgumentException("adaptive solves save at given times (SaveAt.Times) or the final time, not every k-th step.", nameof(Save));
    }

    internal EnsembleOptions ToEnsembleOptions() => new()
    {
        Paths = Paths, FirstPath = FirstPath, Seed = Seed, Threads = Threads, ChunkSize = ChunkSize, Save = Save,
        KeepPaths = KeepPaths, TrackQuantiles = TrackQuantiles, Progress = Progress, CancellationToken = CancellationToken, Steps = 1,
    };
}
