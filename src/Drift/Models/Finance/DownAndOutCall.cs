using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// A down-and-out call under Black–Scholes, dS = rS dt + σS dW: pays (S_T − K)⁺ at T unless S has touched the barrier
/// B &lt; S₀ at some time in [0, T] (continuous monitoring, no rebate). Priced in closed form and by Monte Carlo.
/// </summary>
/// <remarks>
/// <para><b>Closed form</b> (Merton 1973; Reiner &amp; Rubinstein 1991; Hull, <i>Options, Futures and Other
/// Derivatives</i>, §26.9, with no dividend). With λ = (r + σ²/2)/σ², s = σ√T and C the Black–Scholes call:
/// for B ≤ K, C_do = C − [S₀(B/S₀)^{2λ}Φ(y) − K e^{−rT}(B/S₀)^{2λ−2}Φ(y − s)], y = ln(B²/(S₀K))/s + λs;
/// for B &gt; K, C_do = S₀Φ(x₁) − K e^{−rT}Φ(x₁ − s) − S₀(B/S₀)^{2λ}Φ(y₁) + K e^{−rT}(B/S₀)^{2λ−2}Φ(y₁ − s),
/// x₁ = ln(S₀/B)/s + λs, y₁ = ln(B/S₀)/s + λs.</para>
/// <para><b>Monte Carlo</b> (<see cref="MonteCarlo"/>): S is stepped exactly on a grid of n steps of h = T/n,
/// S_{k+1} = S_k exp((r − σ²/2)h + σΔW_k), through <see cref="DiffEq"/>'s fixed-step loop with a custom stepper. A path
/// carries a survival weight w: w = 0 once S_{k+1} ≤ B; with the Brownian-bridge correction it is also multiplied at each
/// step by the probability that ln S, a Brownian motion with drift between the grid points, did not touch ln B in
/// between given both ends: 1 − exp(−2 ln(S_k/B) ln(S_{k+1}/B) / (σ²h)) (the drift does not enter a bridge). The
/// estimator e^{−rT} w (S_T − K)⁺ is then unbiased for continuous monitoring at any step count; without the correction
/// it prices the discretely monitored option, which is dearer (missed crossings), by about the continuous price with
/// the barrier moved to B e^{−0.5826σ√h} (Broadie, Glasserman &amp; Kou 1997).</para>
/// </remarks>
public static class DownAndOutCall
{
    /// <summary>The continuously monitored price; 0 when S₀ ≤ B.</summary>
    /// <exception cref="ArgumentException">S₀, K, T, σ or B not positive, or a value not finite.</exception>
    public static double Price(double spot, double strike, double barrier, double maturity, double rate, double volatility)
    {
        BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        if (!(barrier > 0) || !double.IsFinite(barrier)) throw new ArgumentException($"the barrier must be positive and finite, got {barrier}.", nameof(barrier));
        if (spot <= barrier) return 0;
        double s = volatility * Math.Sqrt(maturity), lambda = (rate + 0.5 * volatility * volatility) / (volatility * volatility);
        double discount = Math.Exp(-rate * maturity), ratio = barrier / spot;
        double up = Math.Pow(ratio, 2 * lambda), down = Math.Pow(ratio, 2 * lambda - 2);
        if (barrier <= strike)
        {
            double y = Math.Log(barrier * barrier / (spot * strike)) / s + lambda * s;
            double downAndIn = spot * up * BlackScholes.NormalCdf(y) - strike * discount * down * BlackScholes.NormalCdf(y - s);
            return BlackScholes.Call(spot, strike, maturity, rate, volatility) - downAndIn;
        }
        double x1 = Math.Log(spot / barrier) / s + lambda * s, y1 = Math.Log(barrier / spot) / s + lambda * s;
        return spot * BlackScholes.NormalCdf(x1) - strike * discount * BlackScholes.NormalCdf(x1 - s)
            - spot * up * BlackScholes.NormalCdf(y1) + strike * discount * down * BlackScholes.NormalCdf(y1 - s);
    }

    /// <summary>
    /// The Monte Carlo price on the constant grid of <paramref name="options"/> (its <see cref="ConstantStep"/>,
    /// paths, seed and threads), with or without the Brownian-bridge crossing correction; the standard error is
    /// the sample standard deviation of the discounted payoffs over √paths. Bit-identical for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">Bad market data, a controller other than <see cref="ConstantStep"/>, or events set on the options.</exception>
    public static PriceEstimate MonteCarlo(double spot, double strike, double barrier, double maturity, double rate, double volatility,
        bool bridgeCorrection, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        if (!(barrier > 0) || !double.IsFinite(barrier)) throw new ArgumentException($"the barrier must be positive and finite, got {barrier}.", nameof(barrier));
        if (options.Events is not null || options.Callbacks is not null)
            throw new ArgumentException("the barrier is monitored by the stepper itself; leave Events and Callbacks unset.", nameof(options));
        var stepper = new Stepper(strike, barrier, maturity, rate, volatility, bridgeCorrection);
        var solution = DiffEq.Solve(new StepperProblem<Stepper>(stepper, [spot, spot > barrier ? 1.0 : 0.0, 0.0], 0, maturity),
            options with { Save = SaveAt.Final, TrackQuantiles = false });
        var payoff = solution.Final(2);
        double discount = Math.Exp(-rate * maturity);
        return new PriceEstimate(discount * payoff.Mean, discount * payoff.StandardError, payoff.Count, true);
    }

    /// <summary>State (S, w, w·(S_T − K)⁺ at T): exact GBM steps, the survival weight, the undiscounted payoff.</summary>
    internal readonly struct Stepper(double strike, double barrier, double maturity, double rate, double volatility, bool bridge) : IEnsembleStepper
    {
        public int Dimension => 3;
        public int NoiseDimension => 1;
        public bool NeedsLevyArea => false;
        public SolveCounters CountersPerStep => new(1, 0, 0);

        public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
        {
        }

        public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
        {
            double drift = (rate - 0.5 * volatility * volatility) * h, scale = -2 / (volatility * volatility * h);
            bool final = t + h >= maturity * (1 - 1e-12);
            var s = x[..paths];
            var w = x.Slice(paths, paths);
            var payoff = x.Slice(2 * paths, paths);
            for (int p = 0; p < paths; p++)
            {
                double before = s[p], after = before * Math.Exp(drift + volatility * dW[p]);
                double weight = w[p];
                if (weight > 0)
                {
                    if (after <= barrier) weight = 0;
                    else if (bridge) weight *= 1 - Math.Exp(scale * Math.Log(before / barrier) * Math.Log(after / barrier));
                }
                s[p] = after;
                w[p] = weight;
                if (final) payoff[p] = weight * Math.Max(after - strike, 0);
            }
        }
    }
}
