namespace Drift.Generative.Samplers;

/// <summary>Settings of <see cref="DenoisingMcmc"/> (Denoising Langevin Gibbs, Kim &amp; Ye 2022).</summary>
public sealed record DenoisingMcmcOptions
{
    /// <summary>Number K of noise levels σ_j = σ_lo·(σ_hi/σ_lo)^{1 − j/(K−1)} the chain's σ moves on (default 64; the paper's code uses 1000).</summary>
    public int Levels { get; init; } = 64;

    /// <summary>Smallest level σ_lo (default 0.01, as in the paper's code).</summary>
    public double SigmaLow { get; init; } = 0.01;

    /// <summary>Largest level σ_hi (default 5).</summary>
    public double SigmaHigh { get; init; } = 5;

    /// <summary>Langevin step η of x ← x + ½η s(x, σ) + √η z (constant, not scaled by σ², as in the paper's code; default 0.02).</summary>
    public double StepSize { get; init; } = 0.02;

    /// <summary>Steps of the EDM Heun sampler from σ_max that initialise the chains (default 4; NFE 2·4 − 1 = 7, amortised).</summary>
    public int InitSteps { get; init; } = 4;

    /// <summary>Standard deviation of the noise added to the initial samples before the first σ update (default 0.5, the paper's code).</summary>
    public double InitNoise { get; init; } = 0.5;

    /// <summary>Langevin–Gibbs iterations after initialisation before the first output (default 10; amortised).</summary>
    public int BurnIn { get; init; } = 10;

    /// <summary>Langevin–Gibbs iterations per output round (the paper's n_skip; default 2): NFE per output = Skip + denoising NFE.</summary>
    public int Skip { get; init; } = 2;

    /// <summary>Steps N of the EDM Heun denoiser from the chain's σ to 0 on a Karras grid (ρ = 7); NFE 2N − 1 (default 3).</summary>
    public int DenoiseSteps { get; init; } = 3;

    /// <summary>Seed of the Langevin noise.</summary>
    public ulong Seed { get; init; }

    /// <summary>Cancels between iterations.</summary>
    public CancellationToken CancellationToken { get; init; }
}
