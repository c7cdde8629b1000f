using System.Numerics;

namespace Drift.Models.Finance;

/// <summary>
/// Semi-analytic Heston prices by Lewis's (2001) single Fourier integral. With F = S₀e^{rT}, x = ln(F/K) and
/// φ_Y(z) = E[exp(iz ln(S_T/F))],
/// C = S₀ − (√(S₀K) e^{−rT/2}/π) J, P = K e^{−rT} − (√(S₀K) e^{−rT/2}/π) J, J = ∫₀^∞ Re[e^{iux} φ_Y(u − i/2)]/(u² + ¼) du.
/// φ_Y is the "little Heston trap" form of Albrecher, Mayer, Schoutens &amp; Tistaert (2007), written without
/// cancellation as ξ → 0: with q = iz + z², b = κ − ρξiz, d = √(b² + ξ²q) (Re d ≥ 0), b − d = −ξ²q/(b + d),
/// g = (b − d)/(b + d),
/// ln φ_Y = κθ/ξ² [(b − d)T − 2 ln(1 + g(1 − e^{−dT})/(1 − g))] + v₀ (b − d)/ξ² · (1 − e^{−dT})/(1 − g e^{−dT}).
/// <para>
/// Error control. The integral is cut at the U where a rigorous bound on the tail falls below 1e-13: conditionally on
/// the variance path, ln(S_T/F) is Gaussian with variance (1 − ρ²)∫v dt, so
/// |φ_Y(u − i/2)| ≤ E[exp(ρ(v_T − v₀ − κθT)/(2ξ) + (ρκ/(2ξ) − ¼ + (1 − ρ²)(¼ − u²)/2)∫v dt)] = exp(Ã(u) + B̃(u)v₀),
/// a real CIR transform in closed form (Riccati with κ̃ = κ − ρξ/2 and c = −(1 + 4(1 − ρ²)u²)/8):
/// γ = √(κ̃² − 2ξ²c), B̃ = 2c(1 − e^{−γT})/((κ̃ + γ)(1 − g e^{−γT})), g = 2ξ²c/(κ̃ + γ)²,
/// Ã = κθ[2cT/(κ̃ + γ) − (2/ξ²) ln(1 + g(1 − e^{−γT})/(1 − g))]. The bound decreases in u, so the tail is at most
/// exp(Ã(U) + B̃(U)v₀)/U. It decays like exp(−(1 − ρ²)u² w/2) while the law of ln S_T is near-Gaussian
/// (w the mean integrated variance, so U grows like 1/(σ√T) at short maturities) and like
/// exp(−√(1 − ρ²)(v₀ + κθT)u/ξ) beyond; it does not decay when |ρ| = 1, which is therefore refused.
/// [0, U] is split into panels of geometrically growing width, capped by the scale 1/√w of the characteristic
/// function and the period 2π/|x| of e^{iux}, and each panel is integrated by adaptive Gauss–Kronrod (7, 15) bisection
/// until the Kronrod–Gauss difference is below its share of 1e-13. The price is then within about 1e-12·√(S₀K) of the
/// exact one, and is clamped to the no-arbitrage bounds max(0, S₀ − Ke^{−rT}) ≤ C ≤ S₀.
/// </para>
/// </summary>
public static class HestonAnalytic
{
    private const double IntegralTolerance = LewisFourier.Tolerance;

    /// <summary>The European call price.</summary>
    /// <exception cref="ArgumentException">Bad parameters, strike or maturity, or |ρ| = 1.</exception>
    public static double Call(HestonParameters model, double strike, double maturity)
    {
        double j = LewisIntegral(model, strike, maturity);
        return LewisFourier.Call(model.Spot, strike, model.Rate, maturity, j);
    }

    /// <summary>The European put price (the same integral; put–call parity holds to rounding).</summary>
    /// <exception cref="ArgumentException">Bad parameters, strike or maturity, or |ρ| = 1.</exception>
    public static double Put(HestonParameters model, double strike, double maturity)
    {
        double j = LewisIntegral(model, strike, maturity);
        return LewisFourier.Put(model.Spot, strike, model.Rate, maturity, j);
    }

    /// <summary>φ(u) = E[exp(iu ln S_T)] in the little-trap form, for complex u.</summary>
    public static Complex CharacteristicFunction(HestonParameters model, double maturity, Complex u)
    {
        ArgumentNullException.ThrowIfNull(model);
        Complex iu = Complex.ImaginaryOne * u;
        return Complex.Exp(iu * (Math.Log(model.Spot) + model.Rate * maturity) + LogForwardCharacteristic(model, maturity, u));
    }

    /// <summary>
    /// The bound exp(Ã(u) + B̃(u)v₀) ≥ |φ_Y(u − i/2)| used to cut the Fourier integral (see the type's remarks);
    /// non-increasing in u ≥ 0 and at most 1.
    /// </summary>
    internal static double TailBound(HestonParameters m, double maturity, double u)
    {
        double xi = m.Xi, t = maturity;
        double kappaTilde = m.Kappa - 0.5 * m.Rho * xi;
        double c = -(1 + 4 * (1 - m.Rho * m.Rho) * u * u) / 8;
        double gamma = Math.Sqrt(kappaTilde * kappaTilde - 2 * xi * xi * c);
        double sum = kappaTilde + gamma; // > 0 since γ > |κ̃|
        double g = 2 * xi * xi * c / (sum * sum); // in (−1, 0]
        double oneMinusE = -Expm1(-gamma * t);
        double bTilde = 2 * c / sum * oneMinusE / (1 - g * (1 - oneMinusE));
        double aTilde = m.Kappa * m.Theta * (2 * c * t / sum - 2 / (xi * xi) * Log1p(g * oneMinusE / (1 - g)));
        return Math.Min(1, Math.Exp(aTilde + bTilde * m.Variance));
    }

    /// <summary>J = ∫₀^∞ Re[e^{iux} φ_Y(u − i/2)]/(u² + ¼) du, to about 1e-13 absolute.</summary>
    internal static double LewisIntegral(HestonParameters model, double strike, double maturity)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        if (!(strike > 0) || !double.IsFinite(strike)) throw new ArgumentException($"strike must be positive, got {strike}.", nameof(strike));
        if (!(maturity > 0) || !double.IsFinite(maturity)) throw new ArgumentException($"maturity must be positive, got {maturity}.", nameof(maturity));
        if (Math.Abs(model.Rho) == 1)
            throw new ArgumentException($"the semi-analytic Heston price needs |rho| < 1 (its Fourier tail cannot be bounded at |rho| = 1), got {model.Rho}; use Monte Carlo.", nameof(model));
        double x = Math.Log(model.Spot / strike) + model.Rate * maturity;
        double meanIntegratedVariance = model.Theta * maturity + (model.Variance - model.Theta) * -Expm1(-model.Kappa * maturity) / model.Kappa;
        double scale = 1 / Math.Sqrt(Math.Max(meanIntegratedVariance, 1e-300));

        // Cut-off: the smallest U on a geometric grid with tail bound exp(Ã + B̃v₀)/U below a quarter of the tolerance.
        double upper = Math.Max(1, scale);
        while (TailBound(model, maturity, upper) / upper > 0.25 * IntegralTolerance)
        {
            upper *= 1.25;
            if (upper > 1e12)
                throw new ArgumentException($"the Heston Fourier integral's tail does not fall below {IntegralTolerance} by u = 1e12 (rho = {model.Rho} too close to ±1?); use Monte Carlo.", nameof(model));
        }

        return LewisFourier.Integral(new Characteristic(model, maturity), x, scale, upper);
    }

    private readonly struct Characteristic(HestonParameters model, double maturity) : ILogForwardCharacteristic
    {
        public Complex Log(Complex z) => LogForwardCharacteristic(model, maturity, z);
    }

    /// <summary>ln φ_Y(z), Y = ln(S_T/F), without cancellation as ξ → 0 or T → 0.</summary>
    private static Complex LogForwardCharacteristic(HestonParameters model, double maturity, Complex z)
    {
        double kappa = model.Kappa, theta = model.Theta, xi = model.Xi, rho = model.Rho, t = maturity;
        Complex iz = Complex.ImaginaryOne * z;
        Complex q = iz + z * z;
        Complex b = kappa - rho * xi * iz;
        Complex d = Complex.Sqrt(b * b + xi * xi * q);
        if (q == Complex.Zero) return Complex.Zero; // z = 0 or −i: φ_Y = 1 (E[S_T] = F)
        Complex plus = b + d, minus = b - d, minusOverXi2;
        // |b + d|·|b − d| = ξ²|q|: take the larger factor directly and the smaller by division.
        if (plus.Magnitude >= minus.Magnitude)
        {
            minus = -xi * xi * q / plus;
            minusOverXi2 = -q / plus;
        }
        else
        {
            plus = -xi * xi * q / minus;
            minusOverXi2 = minus / (xi * xi);
        }
        Complex g = minus / plus;
        Complex oneMinusE = -Expm1(-d * t);
        Complex log = Log1p(g * oneMinusE / (1 - g));
        return kappa * theta * (minusOverXi2 * t - 2 * log / (xi * xi)) + model.Variance * minusOverXi2 * oneMinusE / (1 - g * (1 - oneMinusE));
    }

    /// <summary>e^w − 1 without cancellation for small |w|.</summary>
    private static Complex Expm1(Complex w)
    {
        double s = Math.Sin(0.5 * w.Imaginary);
        return new Complex(Expm1(w.Real) * Math.Cos(w.Imaginary) - 2 * s * s, Math.Exp(w.Real) * Math.Sin(w.Imaginary));
    }

    /// <summary>ln(1 + w) without cancellation for small |w| (principal branch).</summary>
    private static Complex Log1p(Complex w) =>
        new(0.5 * Log1p(2 * w.Real + w.Real * w.Real + w.Imaginary * w.Imaginary), Math.Atan2(w.Imaginary, 1 + w.Real));

    /// <summary>e^w − 1 for real w, accurate for small |w| (Kahan: (u − 1)·w/ln u with u = e^w rounded).</summary>
    private static double Expm1(double w)
    {
        double u = Math.Exp(w);
        if (u == 1) return w;
        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * w / Math.Log(u);
    }

    /// <summary>ln(1 + w) for real w &gt; −1, accurate for small |w| (Goldberg 1991: ln(u)·w/(u − 1) with u = 1 + w rounded).</summary>
    private static double Log1p(double w)
    {
        double u = 1 + w;
        return u == 1 ? w : Math.Log(u) * w / (u - 1);
    }
}
