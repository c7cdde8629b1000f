using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// The Cox–Ingersoll–Ross short rate dr = κ(θ − r) dt + σ√r dW (Cox, Ingersoll &amp; Ross 1985) in the full-truncation
/// form of Lord, Koekkoek &amp; van Dijk (2010): drift κ(θ − r⁺), diffusion σ√(r⁺), so Euler–Maruyama never takes the
/// square root of a negative number. E r_t = θ + (r₀ − θ)e^{−κt}; r stays positive when 2κθ ≥ σ² (Feller). Scalar noise.
/// </summary>
/// <param name="kappa">Mean-reversion speed κ &gt; 0.</param>
/// <param name="theta">Long-run level θ &gt; 0.</param>
/// <param name="sigma">Volatility σ ≥ 0.</param>
public readonly struct CoxIngersollRoss(double kappa, double theta, double sigma) : IDrift, IDiagonalNoise
{
    /// <summary>κ.</summary>
    public double Kappa { get; } = kappa;
    /// <summary>θ.</summary>
    public double Theta { get; } = theta;
    /// <summary>σ.</summary>
    public double Sigma { get; } = sigma;
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 1;
    /// <inheritdoc/>
    public int NoiseDimension => 1;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Scalar;

    /// <summary>True: κ(θ − x) and σ√x do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes κ(θ − r⁺).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = Kappa * (Theta - Math.Max(x[p], 0));
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        for (int p = 0; p < paths; p++) g[p] = Sigma * Math.Sqrt(Math.Max(x[p], 0));
    }

    /// <summary>E r_t for r₀ = x0.</summary>
    public double Mean(double x0, double t) => Theta + (x0 - Theta) * Math.Exp(-Kappa * t);

    /// <summary>Var r_t = r₀(σ²/κ)(e^{−κt} − e^{−2κt}) + (θσ²/2κ)(1 − e^{−κt})².</summary>
    public double Variance(double x0, double t)
    {
        double e = Math.Exp(-Kappa * t);
        return x0 * Sigma * Sigma / Kappa * (e - e * e) + Theta * Sigma * Sigma / (2 * Kappa) * (1 - e) * (1 - e);
    }
}
