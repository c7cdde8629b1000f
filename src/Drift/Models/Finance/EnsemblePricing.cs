using Drift.Ensembles;

namespace Drift.Models.Finance;

/// <summary>European option prices from the kept final states of an ensemble whose state holds ln S.</summary>
public static class EnsemblePricing
{
    /// <summary>
    /// Price e^{−rT}·mean(payoff(S_T)) over the finite paths, S_T = exp(x_T) of component
    /// <paramref name="logSpotComponent"/> at the final save, with standard error e^{−rT}·sd/√n.
    /// Diverged (NaN) paths are skipped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The solution did not keep per-path states (<see cref="EnsembleOptions.KeepPaths"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The strike is not positive or the component does not exist.</exception>
    public static PriceEstimate European(EnsembleSolution solution, int logSpotComponent, double strike, double maturity, double rate, OptionKind kind)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (!(strike > 0)) throw new ArgumentOutOfRangeException(nameof(strike), strike, "the strike must be positive.");
        var final = solution.PathsAt(solution.Times.Length - 1, logSpotComponent);
        double mean = 0, m2 = 0;
        long n = 0;
        foreach (double x in final)
        {
            if (double.IsNaN(x)) continue;
            double s = Math.Exp(x);
            double payoff = kind == OptionKind.Call ? Math.Max(s - strike, 0) : Math.Max(strike - s, 0);
            n++;
            double delta = payoff - mean;
            mean += delta / n;
            m2 += delta * (payoff - mean);
        }
        double discount = Math.Exp(-rate * maturity);
        double se = n > 1 ? discount * Math.Sqrt(m2 / (n - 1) / n) : double.NaN;
        return new PriceEstimate(discount * mean, se, n, true);
    }
}
