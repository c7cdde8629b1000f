namespace Drift.Generative.Training;

/// <summary>What a <see cref="DiffusionTrainer{T}"/> trains and how.</summary>
public sealed record DiffusionTrainingOptions
{
    /// <summary>The objective (default: ε-prediction score matching on the VP schedule).</summary>
    public DiffusionObjective Objective { get; init; } = DiffusionObjective.ScoreMatching(new Schedules.VpLinearSchedule());

    /// <summary>The network; its dimension must be the data's.</summary>
    public required NetworkSpec Network { get; init; }

    /// <summary>How noise rows are paired with data rows in a batch.</summary>
    public Coupling Coupling { get; init; } = Coupling.Independent;

    /// <summary>ε of the entropic coupling, relative to the batch's largest squared distance.</summary>
    public double EntropicEpsilon { get; init; } = 0.05;

    /// <summary>How training times are drawn (importance sampling of t: uniform-time objectives only).</summary>
    public TimeSampling TimeSampling { get; init; } = TimeSampling.Uniform;

    /// <summary>
    /// A noise row paired with each data row (rows × d, row-major), or null. Reflow (<see cref="Reflow"/>): the data are a
    /// trained flow's samples and these the noises its ODE carried to them; the batch then uses the paired rows, draws no
    /// noise and applies no coupling.
    /// </summary>
    public double[]? PairedNoise { get; init; }

    /// <summary>Rows per batch (≤ 4096 with an OT coupling).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>EMA decay of the weights a sampled model uses (0: no average, the raw weights are used).</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Global gradient-norm clip (null: none).</summary>
    public double? ClipNorm { get; init; } = 1.0;

    /// <summary>Probability that a training label is replaced by the null label (conditional networks; enables classifier-free guidance).</summary>
    public double LabelDropout { get; init; } = 0.1;

    /// <summary>Seed of the weights, the data order, the noise, the times and the label dropout.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads per step; 0, the default, means one per core (results do not depend on it).</summary>
    public int Threads { get; init; }

    /// <summary>Rows per gradient shard (fixes the partition, so results are thread-count independent).</summary>
    public int ShardRows { get; init; } = 64;

    /// <summary>Checked before each step.</summary>
    public CancellationToken CancellationToken { get; init; }
}
