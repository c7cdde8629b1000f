using Drift.Brownian;
using Drift.Ensembles;
using Drift.Numerics;
using Drift.Random;
using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// Exact simulation of the Cox–Ingersoll–Ross rate dr = κ(θ − r) dt + σ√r dW (Cox, Ingersoll &amp; Ross 1985):
/// given r_t, r_{t+h} = c·χ′²_ν(λ) with c = σ²(1 − e^{−κh})/(4κ), ν = 4κθ/σ² and λ = r_t e^{−κh}/c, a scaled
/// noncentral chi-squared variate (Glasserman 2003, §3.4.1), drawn by <see cref="Variates.NoncentralChiSquared"/>.
/// There is no time-discretisation error at any step size and r never goes negative, Feller condition
/// 2κθ ≥ σ² or not. σ = 0 gives the deterministic r_t = θ + (r₀ − θ)e^{−κt}.
/// Not a problem kind of <c>DiffEq.Solve</c>: its variates are drawn by the scheme itself from counters keyed by a seed it
/// holds (<see cref="PathStepCounters"/>), not from Brownian increments keyed by the options' seed, so it keeps its own
/// <c>Solve</c>, which is the same ensemble loop with every guarantee.
/// </summary>
/// <remarks>
/// A custom <see cref="IEnsembleStepper"/> driven by <see cref="PathStepCounters"/>: every variate of path p at
/// step n comes from <see cref="StepDraws"/> keyed by (<paramref name="seed"/>, p, n), so ensembles are bit-identical
/// for any thread count. <see cref="Solve"/> wires this up.
/// </remarks>
/// <param name="model">κ, θ, σ.</param>
/// <param name="seed">Seed of every variate.</param>
public readonly struct CoxIngersollRossExact(CoxIngersollRoss model, ulong seed) : IEnsembleStepper
{
    private readonly double _kappa = model.Kappa, _theta = model.Theta, _sigma = model.Sigma;

    /// <summary>The seed of every variate.</summary>
    public ulong Seed { get; } = seed;
    /// <summary>d = 1 (the rate).</summary>
    public int Dimension => 1;
    /// <summary>Two key rows (path, step) from <see cref="PathStepCounters"/>.</summary>
    public int NoiseDimension => 2;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public SolveCounters CountersPerStep => new(1, 0, 0);

    /// <summary>Simulates r from r₀ = <paramref name="r0"/> on [0, <paramref name="t1"/>] exactly, seeded by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">A parameter or option is invalid.</exception>
    public static EnsembleSolution Solve(CoxIngersollRoss model, double r0, double t1, EnsembleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(model);
        if (!(r0 >= 0)) throw new ArgumentOutOfRangeException(nameof(r0), r0, "the initial rate must be non-negative.");
        return Ensemble.Solve(new CoxIngersollRossExact(model, options.Seed), default(PathStepCounters), [r0], null, 0, t1, options);
    }

    /// <summary>Throws when κ or θ is not positive or σ is negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offending parameter and value.</exception>
    public static void Validate(CoxIngersollRoss model)
    {
        if (!(model.Kappa > 0) || double.IsInfinity(model.Kappa)) throw new ArgumentOutOfRangeException(nameof(model), model.Kappa, "kappa must be positive and finite.");
        if (!(model.Theta > 0) || double.IsInfinity(model.Theta)) throw new ArgumentOutOfRangeException(nameof(model), model.Theta, "theta must be positive and finite.");
        if (!(model.Sigma >= 0) || double.IsInfinity(model.Sigma)) throw new ArgumentOutOfRangeException(nameof(model), model.Sigma, "sigma must be non-negative and finite.");
    }

    /// <inheritdoc/>
    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <summary>Replaces each r by an exact draw of r_{t+h} given r_t.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        double e = Math.Exp(-_kappa * h);
        if (_sigma == 0)
        {
            for (int p = 0; p < paths; p++) x[p] = _theta + (x[p] - _theta) * e;
            return;
        }
        double c = _sigma * _sigma * -ScalarMath.ExpM1(-_kappa * h) / (4 * _kappa);
        double nu = 4 * _kappa * _theta / (_sigma * _sigma);
        for (int p = 0; p < paths; p++)
        {
            var draws = new StepDraws(Seed, (ulong)dW[p], (ulong)dW[paths + p]);
            double lambda = Math.Max(x[p], 0) * e / c;
            x[p] = c * Variates.NoncentralChiSquared(ref draws, nu, lambda);
        }
    }
}
