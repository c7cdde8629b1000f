namespace Drift.Models.Finance;

/// <summary>
/// Black–Scholes prices of European options on an asset following dS = r S dt + σ S dW (Black &amp; Scholes 1973):
/// C = S₀Φ(d₁) − K e^{−rT} Φ(d₂), P = K e^{−rT} Φ(−d₂) − S₀Φ(−d₁), d₁,₂ = (ln(S₀/K) + (r ± σ²/2)T)/(σ√T).
/// </summary>
public static class BlackScholes
{
    /// <summary>The call price C(S₀, K, T, r, σ).</summary>
    /// <exception cref="ArgumentException">S₀, K, T or σ not positive, or a value not finite.</exception>
    public static double Call(double spot, double strike, double maturity, double rate, double volatility)
    {
        Validate(spot, strike, maturity, rate, volatility);
        double sd = volatility * Math.Sqrt(maturity);
        double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / sd;
        return spot * NormalCdf(d1) - strike * Math.Exp(-rate * maturity) * NormalCdf(d1 - sd);
    }

    /// <summary>The put price, by put–call parity P = C − S₀ + K e^{−rT}.</summary>
    public static double Put(double spot, double strike, double maturity, double rate, double volatility) =>
        Call(spot, strike, maturity, rate, volatility) - spot + strike * Math.Exp(-rate * maturity);

    /// <summary>
    /// Standard normal distribution function Φ(x) = erfc(−x/√2)/2, relative error below 1e-14 down to x = −37 (Φ ≈ 1e-300).
    /// In the lower tail e^{−x²/2} is taken from x itself, not from the rounded x/√2, whose error would be amplified x²-fold.
    /// NaN gives NaN.
    /// </summary>
    public static double NormalCdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x >= 0) return 1 - 0.5 * Erfc(x / Math.Sqrt(2));
        if (x < -38.6) return 0; // below the smallest subnormal (and −∞)
        return 0.5 * ScaledErfc(-x / Math.Sqrt(2)) * ExpNegativeHalfSquare(x);
    }

    /// <summary>Complementary error function (Chebyshev fit of Press et al., Numerical Recipes 3rd ed. §6.2.2), relative error below 1e-14 for z &lt; 26.5; NaN gives NaN.</summary>
    public static double Erfc(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z < 0) return 2 - Erfc(-z);
        if (z > 27.3) return 0; // below the smallest subnormal (and +∞)
        // e^{−z²} = e^{−2(z/√2)²}, split as in ExpNegativeHalfSquare so that no rounded z² enters the exponent.
        double h = Cut(z);
        return ScaledErfc(z) * Math.Exp(-h * h) * Math.Exp(-(z - h) * (z + h));
    }

    /// <summary>e^{z²}·erfc(z) for z ≥ 0: the Chebyshev part of the fit, smooth and free of the Gaussian factor.</summary>
    private static double ScaledErfc(double z)
    {
        ReadOnlySpan<double> cof =
        [
            -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
            3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.303655835580e-6,
            1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
            9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15,
            -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
        ];
        double t = 2.0 / (2.0 + z), ty = 4.0 * t - 2.0, d = 0.0, dd = 0.0;
        for (int j = cof.Length - 1; j > 0; j--)
        {
            double tmp = d;
            d = ty * d - dd + cof[j];
            dd = tmp;
        }
        return t * Math.Exp(0.5 * (cof[0] + ty * d) - dd);
    }

    /// <summary>
    /// e^{−x²/2} as e^{−h²/2}·e^{−(x − h)(x + h)/2} with h = x cut to 26 significant bits, so h² is exact: a rounded x²
    /// (an absolute error of ulp(x²) in the exponent) would cost up to 1e-13 relative accuracy far in the tail.
    /// </summary>
    private static double ExpNegativeHalfSquare(double x)
    {
        double h = Cut(x);
        return Math.Exp(-0.5 * h * h) * Math.Exp(-0.5 * (x - h) * (x + h));
    }

    private static double Cut(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & ~((1L << 27) - 1));

    internal static void Validate(double spot, double strike, double maturity, double rate, double volatility)
    {
        if (!(spot > 0) || !double.IsFinite(spot)) throw new ArgumentException($"spot must be positive and finite, got {spot}.", nameof(spot));
        if (!(strike > 0) || !double.IsFinite(strike)) throw new ArgumentException($"strike must be positive and finite, got {strike}.", nameof(strike));
        if (!(maturity > 0) || !double.IsFinite(maturity)) throw new ArgumentException($"maturity must be positive and finite, got {maturity}.", nameof(maturity));
        if (!double.IsFinite(rate)) throw new ArgumentException($"rate must be finite, got {rate}.", nameof(rate));
        if (!(volatility > 0) || !double.IsFinite(volatility)) throw new ArgumentException($"volatility must be positive and finite, got {volatility}.", nameof(volatility));
    }
}
