namespace Drift.Models.Finance;

/// <summary>
/// The closed-form price of a discretely monitored geometric-average Asian option under Black–Scholes (Kemna &amp; Vorst
/// 1990): with dates t_i = iT/n (i = 1..n) and G = (Π S_{t_i})^{1/n}, ln G is normal with mean
/// μ = ln S₀ + (r − σ²/2) T(n + 1)/(2n) and variance v = σ² T (n + 1)(2n + 1)/(6n²), so
/// C = e^{−rT}(e^{μ + v/2} Φ(d₁) − K Φ(d₂)), d₂ = (μ − ln K)/√v, d₁ = d₂ + √v, and P = C − e^{−rT}(e^{μ + v/2} − K).
/// </summary>
public static class GeometricAsian
{
    /// <summary>The price of the geometric Asian option with <paramref name="dates"/> equally spaced monitoring dates ending at T.</summary>
    /// <exception cref="ArgumentException">Bad market data, or dates &lt; 1.</exception>
    public static double Price(double spot, double strike, double maturity, double rate, double volatility, int dates, OptionKind kind)
    {
        BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        if (dates < 1) throw new ArgumentOutOfRangeException(nameof(dates), dates, "monitoring dates must be at least 1.");
        double n = dates;
        double mu = Math.Log(spot) + (rate - 0.5 * volatility * volatility) * maturity * (n + 1) / (2 * n);
        double v = volatility * volatility * maturity * (n + 1) * (2 * n + 1) / (6 * n * n);
        double sd = Math.Sqrt(v), forward = Math.Exp(mu + 0.5 * v), discount = Math.Exp(-rate * maturity);
        double d2 = (mu - Math.Log(strike)) / sd;
        double call = discount * (forward * BlackScholes.NormalCdf(d2 + sd) - strike * BlackScholes.NormalCdf(d2));
        return kind == OptionKind.Call ? call : call - discount * (forward - strike);
    }
}
