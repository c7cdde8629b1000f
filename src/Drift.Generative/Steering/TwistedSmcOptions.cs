using Drift.Random.Resampling;

namespace Drift.Generative.Steering;

/// <summary>Settings of a <see cref="TwistedSmc"/> run.</summary>
public sealed record TwistedSmcOptions
{
    /// <summary>Standard deviation s_y &gt; 0 of the observation y = x₀[known] + s_y·ε.</summary>
    public double ObservationNoise { get; init; } = 0.05;

    /// <summary>The reference transition (and, shifted by the twist gradient, the proposal).</summary>
    public ReverseTransition Transition { get; init; } = ReverseTransition.Ddpm;

    /// <summary>The resampling scheme.</summary>
    public ResamplingScheme Resampling { get; init; } = ResamplingScheme.Systematic;

    /// <summary>Resample after a reweighting when ESS &lt; threshold·N (0: never).</summary>
    public double EssThreshold { get; init; } = 0.5;

    /// <summary>Seed of the proposal noise and the resampling uniforms.</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads over the particles (0: one per core); results are bit-identical for every value.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stops the run, checked once per step (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }
}
