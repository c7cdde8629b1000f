using Drift.Random.Resampling;

namespace Drift.Generative.Steering;

/// <summary>Settings of a <see cref="FeynmanKacCorrector"/> run.</summary>
public sealed record FeynmanKacCorrectorOptions
{
    /// <summary>
    /// Noise level η ≥ 0 of the corrector SDE: diffusion √η·g(t); η = 1 is the reverse SDE, η = 0 the
    /// probability-flow ODE (then resampled copies never separate). The weights do not depend on η.
    /// </summary>
    public double Noise { get; init; } = 1;

    /// <summary>Whether to apply the Feynman–Kac weights; false runs the same guided SDE unweighted (the biased baseline).</summary>
    public bool Reweight { get; init; } = true;

    /// <summary>
    /// How the corrector SDE is stepped: <see cref="FeynmanKacIntegrator.ExponentialMultistep"/> (default: second order,
    /// both Ẑ and the particles' law at t_N closer than with the other two from 50 steps on, on a Gaussian),
    /// <see cref="FeynmanKacIntegrator.EulerMaruyama"/> or <see cref="FeynmanKacIntegrator.Exponential"/> (first order;
    /// see <see cref="FeynmanKacCorrector"/>).
    /// </summary>
    public FeynmanKacIntegrator Integrator { get; init; } = FeynmanKacIntegrator.ExponentialMultistep;

    /// <summary>The resampling scheme.</summary>
    public ResamplingScheme Resampling { get; init; } = ResamplingScheme.Systematic;

    /// <summary>Resample after a reweighting when ESS &lt; threshold·N (0: never).</summary>
    public double EssThreshold { get; init; } = 0.5;

    /// <summary>Seed of the Brownian increments and the resampling uniforms.</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads over the particles (0: one per core); results are bit-identical for every value.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stops the run, checked once per step (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }
}
