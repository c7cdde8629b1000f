using Drift.Numerics;
using Drift.Solve;

namespace Drift.Models;

/// <summary>
/// Geometric Brownian motion dX = μ X dt + σ X dW (Itô), the Black–Scholes model of an asset price.
/// Closed form X_t = X_0 exp((μ − σ²/2) t + σ W_t); E X_t = X_0 e^{μt},
/// Var X_t = X_0² e^{2μt}(e^{σ²t} − 1). Scalar noise; drift and diffusion in one struct.
/// </summary>
/// <param name="mu">Drift rate μ (per unit time).</param>
/// <param name="sigma">Volatility σ ≥ 0.</param>
public readonly struct GeometricBrownianMotion(double mu, double sigma) : IDrift, IDiagonalNoise
{
    /// <summary>Drift rate μ.</summary>
    public double Mu { get; } = mu;
    /// <summary>Volatility σ.</summary>
    public double Sigma { get; } = sigma;
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 1;
    /// <inheritdoc/>
    public int NoiseDimension => 1;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Scalar;

    /// <summary>True: μx and σx do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes μ x.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) =>
        Elementwise.Map(new Scale(Mu), x, x, dx);

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) =>
        Elementwise.Map(new Scale(Sigma), x, x, g);

    /// <summary>E X_t for X_0 = x0.</summary>
    public double Mean(double x0, double t) => x0 * Math.Exp(Mu * t);

    /// <summary>Var X_t for X_0 = x0.</summary>
    public double Variance(double x0, double t) => x0 * x0 * Math.Exp(2 * Mu * t) * ScalarMath.ExpM1(Sigma * Sigma * t);

    /// <summary>The exact solution given W_t (Itô reading).</summary>
    public double Exact(double x0, double t, double w) => x0 * Math.Exp((Mu - 0.5 * Sigma * Sigma) * t + Sigma * w);
}

/// <summary>c·a (the second input is ignored).</summary>
internal readonly struct Scale(double c) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD a, TD b) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.Multiply(a, TL.Broadcast(c));
}
