using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// The diffusion part of an exponential jump-diffusion on x = ln S: dx = a dt + σ dW with constant a and σ (additive
/// noise; Euler–Maruyama is exact for it). <see cref="MertonJumpDiffusion"/> and <see cref="KouJumpDiffusion"/> set
/// a = r − λζ − σ²/2, ζ = E[e^Y − 1], so that e^{−rt}S_t is a martingale once the jumps are added.
/// </summary>
/// <param name="drift">a.</param>
/// <param name="sigma">σ ≥ 0.</param>
public readonly struct LogPriceDiffusion(double drift, double sigma) : IDrift, IDiffusion, IAdditiveNoise
{
    /// <summary>a.</summary>
    public double Drift { get; } = double.IsFinite(drift) ? drift : throw new ArgumentOutOfRangeException(nameof(drift), drift, "the drift must be finite.");
    /// <summary>σ.</summary>
    public double Sigma { get; } = sigma >= 0 && double.IsFinite(sigma) ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be non-negative and finite.");
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 1;
    /// <inheritdoc/>
    public int NoiseDimension => 1;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>True: the constant drift and σ do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes a.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => dx[..paths].Fill(Drift);

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Fill(Sigma);
}
