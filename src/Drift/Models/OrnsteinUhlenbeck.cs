using Drift.Numerics;
using Drift.Solve;

namespace Drift.Models;

/// <summary>
/// The Ornstein–Uhlenbeck (Vasicek) process dX = θ(μ − X) dt + σ dW: mean reversion to μ at rate θ.
/// X_t | X_0 ~ N(μ + (X_0 − μ)e^{−θt}, σ²(1 − e^{−2θt})/(2θ)). Additive noise.
/// </summary>
/// <param name="theta">Mean-reversion rate θ &gt; 0.</param>
/// <param name="mu">Long-run mean μ.</param>
/// <param name="sigma">Noise amplitude σ ≥ 0.</param>
public readonly struct OrnsteinUhlenbeck(double theta, double mu, double sigma) : IDrift, IAdditiveNoise
{
    /// <summary>Mean-reversion rate θ.</summary>
    public double Theta { get; } = theta;
    /// <summary>Long-run mean μ.</summary>
    public double Mu { get; } = mu;
    /// <summary>Noise amplitude σ.</summary>
    public double Sigma { get; } = sigma;
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 1;
    /// <inheritdoc/>
    public int NoiseDimension => 1;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>True: θ(μ − x) and σ do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes θ(μ − x).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) =>
        Elementwise.Map(new Affine(-Theta, Theta * Mu), x, x, dx);

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Fill(Sigma);

    /// <summary>E X_t for X_0 = x0.</summary>
    public double Mean(double x0, double t) => Mu + (x0 - Mu) * Math.Exp(-Theta * t);

    /// <summary>Var X_t (independent of X_0).</summary>
    public double Variance(double t) => Sigma * Sigma * -ScalarMath.ExpM1(-2 * Theta * t) / (2 * Theta);
}

/// <summary>a·x + b (the second input is ignored).</summary>
internal readonly struct Affine(double a, double b) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD x, TD unused) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(x, TL.Broadcast(a), TL.Broadcast(b));
}
