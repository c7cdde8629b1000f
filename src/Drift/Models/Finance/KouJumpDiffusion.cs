using Drift.Solve.JumpDiffusions;

namespace Drift.Models.Finance;

/// <summary>
/// Kou's (2002) double-exponential jump-diffusion, "A jump-diffusion model for option pricing", Management Science 48,
/// under the pricing measure on x = ln S: dx = (r − λζ − ½σ²) dt + σ dW + dJ, J compound Poisson of rate λ with
/// log-jumps Y of density p·η₁e^{−η₁y} (y ≥ 0) and (1 − p)·η₂e^{η₂y} (y &lt; 0), ζ = E[e^Y] − 1 =
/// pη₁/(η₁ − 1) + (1 − p)η₂/(η₂ + 1) − 1 (η₁ &gt; 1, so that E[S_T] is finite). A jump-diffusion problem of the engine
/// (<see cref="Problem"/>); <see cref="KouAnalytic"/> prices European options in closed form.
/// </summary>
/// <remarks>
/// E[ln S_T] = ln S₀ + (r − λζ − ½σ²)T + λT(p/η₁ − (1 − p)/η₂); Var[ln S_T] = σ²T + λT(2p/η₁² + 2(1 − p)/η₂²).
/// </remarks>
public readonly struct KouJumpDiffusion
{
    /// <summary>Creates the model.</summary>
    /// <param name="rate">Risk-free rate r.</param>
    /// <param name="sigma">Diffusive volatility σ ≥ 0.</param>
    /// <param name="intensity">Jump rate λ ≥ 0.</param>
    /// <param name="upProbability">p ∈ [0, 1].</param>
    /// <param name="upRate">η₁ &gt; 1.</param>
    /// <param name="downRate">η₂ &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public KouJumpDiffusion(double rate, double sigma, double intensity, double upProbability, double upRate, double downRate)
    {
        if (!double.IsFinite(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the rate must be finite.");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be non-negative and finite.");
        if (!(upRate > 1)) throw new ArgumentOutOfRangeException(nameof(upRate), upRate, "eta1 must exceed 1 (else E[S_T] is infinite).");
        Rate = rate;
        Sigma = sigma;
        Jumps = new DoubleExponentialJumps(intensity, upProbability, upRate, downRate);
    }

    /// <summary>r.</summary>
    public double Rate { get; }
    /// <summary>σ.</summary>
    public double Sigma { get; }
    /// <summary>The jump part: λ, p, η₁, η₂ on ln S.</summary>
    public DoubleExponentialJumps Jumps { get; }
    /// <summary>λ.</summary>
    public double Intensity => Jumps.MaxIntensity;

    /// <summary>ζ = E[e^Y] − 1 = pη₁/(η₁ − 1) + (1 − p)η₂/(η₂ + 1) − 1.</summary>
    public double MeanRelativeJump => Jumps.UpProbability * Jumps.UpRate / (Jumps.UpRate - 1) + (1 - Jumps.UpProbability) * Jumps.DownRate / (Jumps.DownRate + 1) - 1;

    /// <summary>The drift of ln S between jumps, r − λζ − ½σ².</summary>
    public double LogDrift => Rate - Intensity * MeanRelativeJump - 0.5 * Sigma * Sigma;

    /// <summary>The jump-diffusion problem for ln S from ln <paramref name="spot"/> on [0, <paramref name="maturity"/>].</summary>
    /// <exception cref="ArgumentException">The spot is not positive or the maturity not positive and finite.</exception>
    public JumpDiffusionProblem<LogPriceDiffusion, LogPriceDiffusion, DoubleExponentialJumps> Problem(double spot, double maturity)
    {
        if (!(spot > 0) || double.IsInfinity(spot)) throw new ArgumentOutOfRangeException(nameof(spot), spot, "the spot must be positive and finite.");
        return JumpSde.Problem(new LogPriceDiffusion(LogDrift, Sigma), Jumps, [Math.Log(spot)], 0, maturity);
    }

    /// <summary>E[ln S_T] = ln S₀ + (r − λζ − ½σ²)T + λT E[Y].</summary>
    public double LogPriceMean(double spot, double maturity) => Math.Log(spot) + (LogDrift + Intensity * Jumps.MeanJump) * maturity;

    /// <summary>Var[ln S_T] = σ²T + λT E[Y²].</summary>
    public double LogPriceVariance(double maturity) => (Sigma * Sigma + Intensity * Jumps.SecondMomentJump) * maturity;
}
