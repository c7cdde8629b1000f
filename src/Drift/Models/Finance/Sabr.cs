using Drift.Brownian;
using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// The SABR model of Hagan, Kumar, Lesniewski &amp; Woodward (2002), "Managing smile risk", Wilmott: a forward
/// dF = αF^β dW₁, dα = να dW₂, d⟨W₁, W₂⟩ = ρ dt, on the state (F, α), simulated by a scheme exact in α and log-Euler in F:
/// α′ = α·exp(νΔW₂ − ½ν²h) (exact), F′ = F·exp(σΔW₁ − ½σ²h) with the local volatility σ = αF^{β−1} frozen over the step.
/// </summary>
/// <remarks>
/// <para>For β = 1 (lognormal SABR) the F update is exact given the frozen α, and the scheme converges weakly with
/// order 1. For β &lt; 1 log-Euler keeps F positive instead of absorbing it at zero, which is only faithful while F
/// stays well away from zero (the usual regime of Hagan's expansion); E[α_t] = α₀ and
/// E[α_t²] = α₀²e^{ν²t} hold exactly. ΔW₁ = row 0, ΔW₂ = ρ·row 0 + √(1 − ρ²)·row 1 of a
/// <see cref="PhiloxBrownianIncrements"/> source. <see cref="HaganImpliedVolatility"/> is Hagan's lognormal
/// implied-volatility approximation, accurate to O((ν²T)²) relative terms at short maturity.</para>
/// </remarks>
/// <param name="beta">Elasticity β ∈ [0, 1].</param>
/// <param name="nu">Volatility of volatility ν ≥ 0.</param>
/// <param name="rho">Correlation ρ ∈ (−1, 1).</param>
public readonly struct Sabr(double beta, double nu, double rho) : IEnsembleStepper
{
    /// <summary>β.</summary>
    public double Beta { get; } = beta is >= 0 and <= 1 ? beta : throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must lie in [0, 1].");
    /// <summary>ν.</summary>
    public double Nu { get; } = nu >= 0 && double.IsFinite(nu) ? nu : throw new ArgumentOutOfRangeException(nameof(nu), nu, "nu must be non-negative and finite.");
    /// <summary>ρ.</summary>
    public double Rho { get; } = rho is > -1 and < 1 ? rho : throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must lie in (-1, 1).");

    /// <summary>d = 2: (F, α).</summary>
    public int Dimension => 2;
    /// <summary>m = 2.</summary>
    public int NoiseDimension => 2;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public SolveCounters CountersPerStep => new(1, 0, 0);

    /// <summary>
    /// The same simulation as a problem for the one entry point: <c>DiffEq.Solve(sabr.Problem(F, α, T), options)</c> with a
    /// <see cref="ConstantStep"/> controller gives the bits of <see cref="Solve"/> (Brownian rows from Philox keyed by the options' seed).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public StepperProblem<Sabr> Problem(double forward, double alpha, double maturity)
    {
        if (!(forward > 0)) throw new ArgumentOutOfRangeException(nameof(forward), forward, "the forward must be positive.");
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be positive.");
        return new StepperProblem<Sabr>(this, [forward, alpha], 0, maturity);
    }

    /// <summary>Simulates (F, α) from (<paramref name="forward"/>, <paramref name="alpha"/>) on [0, <paramref name="maturity"/>], seeded by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">A parameter or option is invalid.</exception>
    public EnsembleSolution Solve(double forward, double alpha, double maturity, EnsembleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(forward > 0)) throw new ArgumentOutOfRangeException(nameof(forward), forward, "the forward must be positive.");
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be positive.");
        return Ensemble.Solve(this, new PhiloxBrownianIncrements(options.Seed), [forward, alpha], null, 0, maturity, options);
    }

    /// <summary>
    /// Hagan et al. (2002, eq. 2.17a) Black implied volatility σ_B(K, F) = α/((FK)^{(1−β)/2}[1 + (1−β)²ℓ²/24 + (1−β)⁴ℓ⁴/1920])
    /// · z/x(z) · [1 + ((1−β)²α²/(24(FK)^{1−β}) + ρβνα/(4(FK)^{(1−β)/2}) + (2 − 3ρ²)ν²/24)T], ℓ = ln(F/K),
    /// z = (ν/α)(FK)^{(1−β)/2}ℓ, x(z) = ln((√(1 − 2ρz + z²) + z − ρ)/(1 − ρ)); z/x(z) → 1 at the money.
    /// </summary>
    public double HaganImpliedVolatility(double forward, double strike, double alpha, double maturity)
    {
        double omb = 1 - Beta, fk = forward * strike, l = Math.Log(forward / strike);
        double fkPow = Math.Pow(fk, 0.5 * omb);
        double z = Nu / alpha * fkPow * l;
        double ratio = Math.Abs(z) < 1e-10 ? 1 : z / Math.Log((Math.Sqrt(1 - 2 * Rho * z + z * z) + z - Rho) / (1 - Rho));
        double denominator = fkPow * (1 + omb * omb * l * l / 24 + Math.Pow(omb, 4) * Math.Pow(l, 4) / 1920);
        double correction = 1 + (omb * omb * alpha * alpha / (24 * fkPow * fkPow) + 0.25 * Rho * Beta * Nu * alpha / fkPow + (2 - 3 * Rho * Rho) * Nu * Nu / 24) * maturity;
        return alpha / denominator * ratio * correction;
    }

    /// <inheritdoc/>
    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <summary>One step: α exactly, F by log-Euler with the step-start local volatility.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        double rhoBar = Math.Sqrt(1 - Rho * Rho), halfNu2h = 0.5 * Nu * Nu * h, betaMinusOne = Beta - 1;
        var f = x[..paths];
        var alpha = x.Slice(paths, paths);
        for (int p = 0; p < paths; p++)
        {
            double w1 = dW[p], w2 = Rho * w1 + rhoBar * dW[paths + p];
            double sigma = alpha[p] * (betaMinusOne == 0 ? 1 : Math.Pow(f[p], betaMinusOne));
            f[p] *= Math.Exp(sigma * w1 - 0.5 * sigma * sigma * h);
            alpha[p] *= Math.Exp(Nu * w2 - halfNu2h);
        }
    }
}
