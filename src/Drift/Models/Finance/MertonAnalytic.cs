namespace Drift.Models.Finance;

/// <summary>
/// Merton's (1976) series for European options under <see cref="MertonJumpDiffusion"/>: with λ′ = λ(1 + k),
/// σₙ² = σ² + nδ²/T and rₙ = r − λk + n ln(1 + k)/T,
/// C = Σₙ e^{−λ′T}(λ′T)ⁿ/n! · C_BS(S, K, T, rₙ, σₙ), summed until the Poisson weights are below 1e-17 of the total.
/// </summary>
public static class MertonAnalytic
{
    /// <summary>The call price.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public static double Call(double spot, double strike, double maturity, double rate, double sigma, double intensity, double jumpMean, double jumpStdDev)
    {
        if (!(maturity > 0)) throw new ArgumentOutOfRangeException(nameof(maturity), maturity, "the maturity must be positive.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be positive for the series.");
        if (!(intensity >= 0)) throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "the jump intensity must be non-negative.");
        if (!(jumpStdDev >= 0)) throw new ArgumentOutOfRangeException(nameof(jumpStdDev), jumpStdDev, "the log-jump standard deviation must be non-negative.");
        double k = Math.Exp(jumpMean + 0.5 * jumpStdDev * jumpStdDev) - 1;
        double mean = intensity * (1 + k) * maturity;
        double weight = Math.Exp(-mean), total = 0, weights = 0;
        for (int n = 0; n < 10_000; n++)
        {
            if (n > 0) weight *= mean / n;
            double vol = Math.Sqrt(sigma * sigma + n * jumpStdDev * jumpStdDev / maturity);
            double r = rate - intensity * k + n * Math.Log(1 + k) / maturity;
            total += weight * BlackScholes.Call(spot, strike, maturity, r, vol);
            weights += weight;
            if (n > mean && weight < 1e-17 * weights) break;
        }
        return total;
    }

    /// <summary>The put price, by put–call parity P = C − S + Ke^{−rT}.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public static double Put(double spot, double strike, double maturity, double rate, double sigma, double intensity, double jumpMean, double jumpStdDev)
        => Call(spot, strike, maturity, rate, sigma, intensity, jumpMean, jumpStdDev) - spot + strike * Math.Exp(-rate * maturity);
}
