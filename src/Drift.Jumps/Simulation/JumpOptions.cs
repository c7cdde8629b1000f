using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Jumps.Simulation;

/// <summary>Options of an ensemble of jump-process runs.</summary>
public sealed record JumpOptions
{
    /// <summary>Number of independent runs (default <see cref="SolveDefaults.Paths"/>).</summary>
    public long Runs { get; init; } = SolveDefaults.Paths;

    /// <summary>Global index of the first run (a multiple of 256), for shards: runs [FirstRun, FirstRun + Runs) give the same bits on any machine.</summary>
    public long FirstRun { get; init; }

    /// <summary>
    /// The shard of the run this solve computes, or null. With a shard, <see cref="Runs"/> is the whole run's count R
    /// (and <see cref="FirstRun"/> must be 0): runs [⌊iR/N⌋, ⌊(i + 1)R/N⌋) are simulated with exactly the draws they get
    /// unsharded, and <see cref="JumpSolution.State"/> holds the <see cref="JumpState"/> that <see cref="JumpState.Merge"/>
    /// combines into the unsharded solution. Every method with per-run streams shards (direct, nrm, sorting, rssa,
    /// rssa-cr, extrande, tau-leap, cle); the deterministic rate equation (ode) refuses a shard.
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>Seed of all randomness: run r's uniforms are draws of Philox stream r under a key derived from the seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads; 0 means all cores. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Runs per work item (a positive multiple of 256; default <see cref="SolveDefaults.ChunkSize"/>).</summary>
    public int ChunkSize { get; init; } = SolveDefaults.ChunkSize;

    /// <summary>Times in [0, t1] at which the state is recorded (piecewise constant, right-continuous); null for t1 only.</summary>
    public IReadOnlyList<double>? SaveTimes { get; init; }

    /// <summary>Keep every run's state at every save time (trajectories sampled on the grid).</summary>
    public bool KeepPaths { get; init; }

    /// <summary>Track quantile sketches (default true).</summary>
    public bool TrackQuantiles { get; init; } = true;

    /// <summary>Track exact integer histograms of the counts at each save time (exact and tau-leap methods; default true).</summary>
    public bool TrackHistograms { get; init; } = true;

    /// <summary>Tau-leaping error control ε of Cao, Gillespie &amp; Petzold (2006): the relative change of every propensity in one leap is bounded by about ε (default 0.03).</summary>
    public double TauEpsilon { get; init; } = 0.03;

    /// <summary>Step of the chemical Langevin Euler–Maruyama scheme; null for t1/1000.</summary>
    public double? Dt { get; init; }

    /// <summary>
    /// Extrande's look-ahead window length L (positive, finite; time units), or null (the default) for the automatic
    /// window of about eight candidates, shortened while the bound is loose. On [t, t + L] the time-dependent propensities
    /// are bounded by interval arithmetic; the law is exact for every L. A short L gives tight bounds (few null events)
    /// but opens windows (one interval bound per time-dependent propensity) more often; a long L opens few windows but
    /// its bound covers the propensities' peaks over the whole window, so most candidates may be null events. Other
    /// methods ignore it.
    /// </summary>
    public double? ExtrandeWindow { get; init; }

    /// <summary>Events (or leaps) after which a run is stopped and reported as a divergence (default 10⁹).</summary>
    public long MaxEventsPerRun { get; init; } = 1_000_000_000;

    /// <summary>
    /// Receives (run, its trajectory at every event) for every run of an exact method (direct, sorting direct, next
    /// reaction, RSSA, Extrande), from the same simulation that makes the statistics: the trajectory equals
    /// <see cref="JumpSimulator.Trajectory"/>'s on the window [0, last save time]. Called on worker threads, once per run,
    /// in no particular order (runs of one chunk in order); null (the default) records nothing and costs one null
    /// check per event.
    /// </summary>
    public Action<long, JumpTrajectory>? Trajectories { get; init; }

    /// <summary>Receives the number of runs finished.</summary>
    public IProgress<SolveProgress>? Progress { get; init; }

    /// <summary>Stops the ensemble between chunks; the result then covers the runs finished in order.</summary>
    public CancellationToken CancellationToken { get; init; }
}
