using Drift.Brownian;
using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// Andersen's (2008) quadratic-exponential (QE) scheme for the Heston model on the state (ln S, v), "Simple and
/// efficient simulation of the Heston stochastic volatility model", J. Comput. Finance 11(3).
/// </summary>
/// <remarks>
/// <para>Variance: with m = θ + (v − θ)e^{−κh}, s² = vξ²e^{−κh}(1 − e^{−κh})/κ + θξ²(1 − e^{−κh})²/(2κ) and
/// ψ = s²/m², if ψ ≤ ψ_c then v′ = a(b + Z_v)² with b² = 2/ψ − 1 + √(2/ψ)√(2/ψ − 1), a = m/(1 + b²); otherwise
/// v′ = 0 with probability p = (ψ − 1)/(ψ + 1) and v′ = ln((1 − p)/(1 − U))/β, β = (1 − p)/m, else (U = Φ(Z_v)).
/// Both branches match the exact conditional mean m and variance s².</para>
/// <para>Log price (central discretisation, γ₁ = γ₂ = ½): ln S′ = ln S + rh + K₀ + K₁v + K₂v′ + √(K₃v + K₄v′)·Z with
/// K₀ = −ρκθh/ξ, K₁ = γ₁h(κρ/ξ − ½) − ρ/ξ, K₂ = γ₂h(κρ/ξ − ½) + ρ/ξ, K₃ = γ₁h(1 − ρ²), K₄ = γ₂h(1 − ρ²). With the
/// martingale correction K₀ is replaced by K₀* = −ln E[e^{Av′}] − (K₁ + ½K₃)v, A = K₂ + ½K₄, so that
/// E[S′ | S, v] = S e^{rh} exactly (where A &lt; 1/(2a), resp. A &lt; β; otherwise K₀ is kept).</para>
/// <para>Z_v and Z are ΔW/√h of the two rows of a <see cref="PhiloxBrownianIncrements"/> source (independent
/// normals keyed by (seed, path, step)), so ensembles are bit-identical for any thread count.</para>
/// </remarks>
/// <param name="model">The Heston parameters; (ln S₀, v₀) is the initial state.</param>
/// <param name="martingaleCorrection">Whether to use K₀* (default true).</param>
/// <param name="criticalPsi">ψ_c ∈ [1, 2] (Andersen: 1.5).</param>
public readonly struct HestonQuadraticExponential(HestonParameters model, bool martingaleCorrection = true, double criticalPsi = 1.5) : IEnsembleStepper
{
    private readonly double _rate = model.Rate, _kappa = model.Kappa, _theta = model.Theta, _xi = model.Xi, _rho = model.Rho;
    private readonly bool _correct = martingaleCorrection;
    private readonly double _psiC = criticalPsi is >= 1 and <= 2 ? criticalPsi
        : throw new ArgumentOutOfRangeException(nameof(criticalPsi), criticalPsi, "psi_c must lie in [1, 2].");

    /// <summary>d = 2: (ln S, v).</summary>
    public int Dimension => 2;
    /// <summary>m = 2: Z_v and Z.</summary>
    public int NoiseDimension => 2;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public SolveCounters CountersPerStep => new(1, 0, 0);

    /// <summary>Simulates (ln S, v) from (ln S₀, v₀) on [0, <paramref name="maturity"/>], seeded by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">A parameter or option is invalid.</exception>
    public static EnsembleSolution Solve(HestonParameters model, double maturity, EnsembleOptions options, bool martingaleCorrection = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        return Ensemble.Solve(new HestonQuadraticExponential(model, martingaleCorrection), new PhiloxBrownianIncrements(options.Seed),
            [Math.Log(model.Spot), model.Variance], null, 0, maturity, options);
    }

    /// <summary>
    /// The same simulation as a problem for the one entry point: <c>DiffEq.Solve(HestonQuadraticExponential.Problem(model, T), options)</c>
    /// with a <see cref="ConstantStep"/> controller gives the bits of <see cref="Solve"/> (Brownian rows from Philox keyed by the options' seed).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is invalid.</exception>
    public static StepperProblem<HestonQuadraticExponential> Problem(HestonParameters model, double maturity, bool martingaleCorrection = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        return new StepperProblem<HestonQuadraticExponential>(new HestonQuadraticExponential(model, martingaleCorrection), [Math.Log(model.Spot), model.Variance], 0, maturity);
    }

    /// <inheritdoc/>
    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <summary>One QE step of length h for every path.</summary>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        double e = Math.Exp(-_kappa * h), oneMinusE = 1 - e, invSqrtH = 1 / Math.Sqrt(h);
        double k0 = -_rho * _kappa * _theta * h / _xi;
        double k1 = 0.5 * h * (_kappa * _rho / _xi - 0.5) - _rho / _xi;
        double k2 = 0.5 * h * (_kappa * _rho / _xi - 0.5) + _rho / _xi;
        double k3 = 0.5 * h * (1 - _rho * _rho), k4 = k3;
        double a4 = k2 + 0.5 * k4;
        double xi2 = _xi * _xi;
        var logS = x[..paths];
        var variance = x.Slice(paths, paths);
        for (int p = 0; p < paths; p++)
        {
            double v = Math.Max(variance[p], 0);
            double zv = dW[p] * invSqrtH, z = dW[paths + p] * invSqrtH;
            double m = _theta + (v - _theta) * e;
            double s2 = v * xi2 * e * oneMinusE / _kappa + _theta * xi2 * oneMinusE * oneMinusE / (2 * _kappa);
            double psi = s2 / (m * m);
            double next, drift0 = k0;
            if (psi <= _psiC)
            {
                double inv = 2 / psi;
                double b2 = inv - 1 + Math.Sqrt(inv) * Math.Sqrt(inv - 1);
                double a = m / (1 + b2);
                double b = Math.Sqrt(b2) + zv;
                next = a * b * b;
                if (_correct && a4 < 0.5 / a)
                    drift0 = -a4 * b2 * a / (1 - 2 * a4 * a) + 0.5 * Math.Log(1 - 2 * a4 * a) - (k1 + 0.5 * k3) * v;
            }
            else
            {
                double prob = (psi - 1) / (psi + 1), beta = (1 - prob) / m;
                double survival = BlackScholes.NormalCdf(-zv); // 1 − U, computed without cancellation
                next = survival >= 1 - prob ? 0 : Math.Log((1 - prob) / survival) / beta;
                if (_correct && a4 < beta)
                    drift0 = -Math.Log(prob + beta * (1 - prob) / (beta - a4)) - (k1 + 0.5 * k3) * v;
            }
            logS[p] += _rate * h + drift0 + k1 * v + k2 * next + Math.Sqrt(k3 * v + k4 * next) * z;
            variance[p] = next;
        }
    }
}
