using Drift.Random.Resampling;

namespace Drift.Generative.Steering;

/// <summary>Settings of an <see cref="FkSteering"/> run.</summary>
public sealed record FkSteeringOptions
{
    /// <summary>Temperature λ of the target p(x)·exp(λ r(x)); 0 gives plain (unsteered) sampling with unit weights.</summary>
    public double Lambda { get; init; } = 1;

    /// <summary>The form of the intermediate potentials.</summary>
    public SteeringPotential Potential { get; init; } = SteeringPotential.Difference;

    /// <summary>The resampling scheme.</summary>
    public ResamplingScheme Resampling { get; init; } = ResamplingScheme.Systematic;

    /// <summary>Resample after a reweighting when ESS &lt; threshold·N (0: never; 1: whenever the weights are not all equal).</summary>
    public double EssThreshold { get; init; } = 0.5;

    /// <summary>Seed of the Brownian increments and the resampling uniforms.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Worker threads over the particles (0: one per core); results are bit-identical for every value. Values other
    /// than 1 need the overload of <see cref="FkSteering"/>.Run that takes a model factory.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stops the run, checked once per step (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }
}
