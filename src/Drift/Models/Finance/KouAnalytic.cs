using System.Numerics;

namespace Drift.Models.Finance;

/// <summary>
/// European options under <see cref="KouJumpDiffusion"/> by Lewis's characteristic-function integral
/// (<see cref="LewisFourier"/>), not Kou's Hh-function series. With Y = ln(S_T/F),
/// ln φ_Y(z) = iz(−λζ − ½σ²)T − ½σ²z²T + λT(pη₁/(η₁ − iz) + (1 − p)η₂/(η₂ + iz) − 1).
/// </summary>
/// <remarks>
/// Error bound. On the line z = u − i/2, |E[e^{izY}]| ≤ E[e^{Y/2}] = M = pη₁/(η₁ − ½) + (1 − p)η₂/(η₂ + ½), so
/// |φ_Y(u − i/2)| ≤ B(u) = exp(−½(λζ + ½σ²)T − ½σ²T(u² − ¼) + λT(M − 1)), decreasing in u, and the tail of the
/// integral beyond U is at most B(U)/U. U is the first point of a geometric grid where that is below 2.5e-14; the
/// quadrature's Kronrod–Gauss estimate is held below 5e-14 (an estimate, not a bound). The price is therefore within
/// about 1e-13·√(S₀K) of the exact one. σ must be positive (with σ = 0 the integrand decays only like 1/u²).
/// </remarks>
public static class KouAnalytic
{
    /// <summary>The call price.</summary>
    /// <exception cref="ArgumentException">σ is zero, or the spot, strike or maturity is not positive and finite.</exception>
    public static double Call(KouJumpDiffusion model, double spot, double strike, double maturity)
    {
        double j = Integral(model, spot, strike, maturity);
        return LewisFourier.Call(spot, strike, model.Rate, maturity, j);
    }

    /// <summary>The put price (the same integral).</summary>
    /// <exception cref="ArgumentException">σ is zero, or the spot, strike or maturity is not positive and finite.</exception>
    public static double Put(KouJumpDiffusion model, double spot, double strike, double maturity)
    {
        double j = Integral(model, spot, strike, maturity);
        return LewisFourier.Put(spot, strike, model.Rate, maturity, j);
    }

    private static double Integral(KouJumpDiffusion model, double spot, double strike, double maturity)
    {
        if (!(spot > 0) || double.IsInfinity(spot)) throw new ArgumentOutOfRangeException(nameof(spot), spot, "the spot must be positive and finite.");
        if (!(strike > 0) || double.IsInfinity(strike)) throw new ArgumentOutOfRangeException(nameof(strike), strike, "the strike must be positive and finite.");
        if (!(maturity > 0) || double.IsInfinity(maturity)) throw new ArgumentOutOfRangeException(nameof(maturity), maturity, "the maturity must be positive and finite.");
        if (!(model.Sigma > 0)) throw new ArgumentOutOfRangeException(nameof(model), model.Sigma, "the Fourier price needs sigma > 0 (its integrand then decays like a Gaussian); use Monte Carlo for sigma = 0.");
        var jumps = model.Jumps;
        double p = jumps.UpProbability, eta1 = jumps.UpRate, eta2 = jumps.DownRate, lambdaT = model.Intensity * maturity;
        double s2t = model.Sigma * model.Sigma * maturity;
        double halfMoment = p * eta1 / (eta1 - 0.5) + (1 - p) * eta2 / (eta2 + 0.5);
        double logBound0 = -0.5 * (model.Intensity * model.MeanRelativeJump * maturity + 0.5 * s2t) + 0.125 * s2t + lambdaT * (halfMoment - 1);
        double scale = 1 / Math.Sqrt(s2t);
        double upper = Math.Max(1, scale);
        while (Math.Exp(logBound0 - 0.5 * s2t * upper * upper) / upper > 0.25 * LewisFourier.Tolerance) upper *= 1.25;
        double x = Math.Log(spot / strike) + model.Rate * maturity;
        return LewisFourier.Integral(new Characteristic(model, maturity), x, scale, upper);
    }

    private readonly struct Characteristic(KouJumpDiffusion model, double maturity) : ILogForwardCharacteristic
    {
        public Complex Log(Complex z)
        {
            var jumps = model.Jumps;
            double p = jumps.UpProbability, eta1 = jumps.UpRate, eta2 = jumps.DownRate, s2 = model.Sigma * model.Sigma;
            Complex iz = Complex.ImaginaryOne * z;
            Complex psi = p * eta1 / (eta1 - iz) + (1 - p) * eta2 / (eta2 + iz);
            return iz * (-model.Intensity * model.MeanRelativeJump - 0.5 * s2) * maturity - 0.5 * s2 * z * z * maturity + model.Intensity * maturity * (psi - 1);
        }
    }
}
