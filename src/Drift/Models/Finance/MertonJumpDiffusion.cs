using Drift.Brownian;
using Drift.Ensembles;
using Drift.Random;
using Drift.Solve;
using Drift.Solve.JumpDiffusions;

namespace Drift.Models.Finance;

/// <summary>
/// Merton's (1976) jump diffusion, "Option pricing when underlying stock returns are discontinuous", J. Financial
/// Economics 3, under the pricing measure on the state x = ln S:
/// dx = (r − λk − ½σ²) dt + σ dW + dJ, J a compound Poisson process of rate λ with N(μ_J, δ²) log-jumps,
/// k = E[e^Y − 1] = e^{μ_J + δ²/2} − 1, so that e^{−rt}S_t is a martingale.
/// It is one instance of the engine's jump-diffusions: <see cref="Problem"/> gives it as a
/// <see cref="JumpDiffusionProblem{TDrift, TDiffusion, TJumps}"/> (<see cref="LogPriceDiffusion"/> plus
/// <see cref="NormalJumps"/>) for <c>DiffEq.Solve</c>, with fixed steps cut at every jump time or adaptive steps. This
/// struct also keeps its own exact scheme (<see cref="Solve"/>, and <c>drift price merton</c>), kept for speed: because
/// the coefficients are constant, the sum of a step's jumps is drawn at once (N ~ Poisson(λh), then one normal), so a
/// step costs the same whatever λ and no path leaves the batch, where the general loop integrates every path with a jump
/// in the step on its own over sub-steps cut at its jump times. Both are exact in law; their draws differ.
/// </summary>
/// <remarks>
/// Each step is exact in law: x′ = x + (r − λk − ½σ²)h + σ√h·Z + Nμ_J + δ√N·Z_J with N ~ Poisson(λh) and Z, Z_J
/// standard normals, all drawn from <see cref="StepDraws"/> keyed by (seed, path, step) through
/// <see cref="PathStepCounters"/>. One step to the maturity therefore samples S_T exactly;
/// <see cref="MertonAnalytic"/> is the series price.
/// </remarks>
/// <param name="rate">Risk-free rate r.</param>
/// <param name="sigma">Diffusive volatility σ ≥ 0.</param>
/// <param name="intensity">Jump rate λ ≥ 0 (per unit time).</param>
/// <param name="jumpMean">Mean log-jump μ_J.</param>
/// <param name="jumpStdDev">Log-jump standard deviation δ ≥ 0.</param>
/// <param name="seed">Seed of every variate.</param>
public readonly struct MertonJumpDiffusion(double rate, double sigma, double intensity, double jumpMean, double jumpStdDev, ulong seed) : IEnsembleStepper
{
    /// <summary>r.</summary>
    public double Rate { get; } = double.IsFinite(rate) ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "the rate must be finite.");
    /// <summary>σ.</summary>
    public double Sigma { get; } = sigma >= 0 && double.IsFinite(sigma) ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be non-negative and finite.");
    /// <summary>λ.</summary>
    public double Intensity { get; } = intensity >= 0 && double.IsFinite(intensity) ? intensity : throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "the jump intensity must be non-negative and finite.");
    /// <summary>μ_J.</summary>
    public double JumpMean { get; } = double.IsFinite(jumpMean) ? jumpMean : throw new ArgumentOutOfRangeException(nameof(jumpMean), jumpMean, "the mean log-jump must be finite.");
    /// <summary>δ.</summary>
    public double JumpStdDev { get; } = jumpStdDev >= 0 && double.IsFinite(jumpStdDev) ? jumpStdDev : throw new ArgumentOutOfRangeException(nameof(jumpStdDev), jumpStdDev, "the log-jump standard deviation must be non-negative and finite.");
    /// <summary>The seed of every variate.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>k = e^{μ_J + δ²/2} − 1, the mean relative jump.</summary>
    public double MeanRelativeJump => Math.Exp(JumpMean + 0.5 * JumpStdDev * JumpStdDev) - 1;
    /// <summary>d = 1: ln S.</summary>
    public int Dimension => 1;
    /// <summary>Two key rows (path, step) from <see cref="PathStepCounters"/>.</summary>
    public int NoiseDimension => 2;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public SolveCounters CountersPerStep => new(1, 0, 0);

    /// <summary>
    /// The model as a general jump-diffusion problem for ln S from ln <paramref name="spot"/> on [0, <paramref name="maturity"/>]:
    /// dx = (r − λk − ½σ²) dt + σ dW plus <see cref="NormalJumps"/>(λ, μ_J, δ); its draws are keyed by the solve options'
    /// seed (this struct's <see cref="Seed"/> is not used).
    /// </summary>
    /// <exception cref="ArgumentException">The spot is not positive and finite, or the maturity is not positive.</exception>
    public JumpDiffusionProblem<LogPriceDiffusion, LogPriceDiffusion, NormalJumps> Problem(double spot, double maturity)
    {
        if (!(spot > 0) || double.IsInfinity(spot)) throw new ArgumentOutOfRangeException(nameof(spot), spot, "the spot must be positive and finite.");
        return JumpSde.Problem(new LogPriceDiffusion(Rate - Intensity * MeanRelativeJump - 0.5 * Sigma * Sigma, Sigma),
            new NormalJumps(Intensity, JumpMean, JumpStdDev), [Math.Log(spot)], 0, maturity);
    }

    /// <summary>Simulates ln S from ln <paramref name="spot"/> on [0, <paramref name="maturity"/>] with this model's parameters and <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">A parameter or option is invalid.</exception>
    public EnsembleSolution Solve(double spot, double maturity, EnsembleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(spot > 0)) throw new ArgumentOutOfRangeException(nameof(spot), spot, "the spot must be positive.");
        var seeded = new MertonJumpDiffusion(Rate, Sigma, Intensity, JumpMean, JumpStdDev, options.Seed);
        return Ensemble.Solve(seeded, default(PathStepCounters), [Math.Log(spot)], null, 0, maturity, options);
    }

    /// <inheritdoc/>
    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <summary>One exact step of length h for every path.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        double drift = (Rate - Intensity * MeanRelativeJump - 0.5 * Sigma * Sigma) * h, diffusion = Sigma * Math.Sqrt(h), jumps = Intensity * h;
        for (int p = 0; p < paths; p++)
        {
            var draws = new StepDraws(Seed, (ulong)dW[p], (ulong)dW[paths + p]);
            double increment = drift + diffusion * draws.NextNormal();
            long n = Variates.Poisson(ref draws, jumps);
            if (n > 0) increment += n * JumpMean + JumpStdDev * Math.Sqrt(n) * draws.NextNormal();
            x[p] += increment;
        }
    }
}
