using System.Numerics;

namespace Drift.Models.Finance;

/// <summary>
/// Semi-analytic Heston prices: C = S₀P₁ − K e^{−rT} P₂ with P₁ = ½ + (1/π)∫₀^∞ Re[e^{−iu ln K} φ(u − i)/(iu φ(−i))] du and
/// P₂ = ½ + (1/π)∫₀^∞ Re[e^{−iu ln K} φ(u)/(iu)] du, φ the characteristic function of ln S_T in the "little Heston trap"
/// form of Albrecher, Mayer, Schoutens &amp; Tistaert (2007), which has no branch-cut discontinuity:
/// d = √((ρξiu − κ)² + ξ²(iu + u²)), g = (κ − ρξiu − d)/(κ − ρξiu + d),
/// ln φ = iu(ln S₀ + rT) + κθ/ξ² [(κ − ρξiu − d)T − 2 ln((1 − g e^{−dT})/(1 − g))] + v₀ (κ − ρξiu − d)/ξ² · (1 − e^{−dT})/(1 − g e^{−dT}).
/// The integrals are taken by composite Gauss–Legendre (8 points on each of 400 panels over [0, 200]).
/// </summary>
public static class HestonAnalytic
{
    /// <summary>The European call price.</summary>
    /// <exception cref="ArgumentException">Bad parameters, strike or maturity.</exception>
    public static double Call(HestonParameters model, double strike, double maturity)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        if (!(strike > 0) || !double.IsFinite(strike)) throw new ArgumentException($"strike must be positive, got {strike}.", nameof(strike));
        if (!(maturity > 0) || !double.IsFinite(maturity)) throw new ArgumentException($"maturity must be positive, got {maturity}.", nameof(maturity));
        double lnK = Math.Log(strike);
        Complex forward = CharacteristicFunction(model, maturity, -Complex.ImaginaryOne);
        double p1 = 0, p2 = 0;
        ReadOnlySpan<double> nodes = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
        ReadOnlySpan<double> weights = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
        const int panels = 400;
        const double upper = 200, width = upper / panels;
        for (int k = 0; k < panels; k++)
            for (int q = 0; q < nodes.Length; q++)
            {
                double u = width * (k + 0.5 + 0.5 * nodes[q]);
                double w = 0.5 * width * weights[q];
                var kernel = Complex.Exp(-Complex.ImaginaryOne * u * lnK) / (Complex.ImaginaryOne * u);
                p1 += w * (kernel * CharacteristicFunction(model, maturity, new Complex(u, -1)) / forward).Real;
                p2 += w * (kernel * CharacteristicFunction(model, maturity, u)).Real;
            }
        p1 = 0.5 + p1 / Math.PI;
        p2 = 0.5 + p2 / Math.PI;
        return model.Spot * p1 - strike * Math.Exp(-model.Rate * maturity) * p2;
    }

    /// <summary>The European put price by put–call parity.</summary>
    public static double Put(HestonParameters model, double strike, double maturity)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Call(model, strike, maturity) - model.Spot + strike * Math.Exp(-model.Rate * maturity);
    }

    /// <summary>φ(u) = E[exp(iu ln S_T)] in the little-trap form, for complex u.</summary>
    public static Complex CharacteristicFunction(HestonParameters model, double maturity, Complex u)
    {
        ArgumentNullException.ThrowIfNull(model);
        double kappa = model.Kappa, theta = model.Theta, xi = model.Xi, rho = model.Rho, t = maturity;
        Complex iu = Complex.ImaginaryOne * u;
        Complex b = kappa - rho * xi * iu;
        Complex d = Complex.Sqrt(b * b + xi * xi * (iu + u * u));
        Complex g = (b - d) / (b + d);
        Complex e = Complex.Exp(-d * t);
        Complex c = iu * (Math.Log(model.Spot) + model.Rate * t) + kappa * theta / (xi * xi) * ((b - d) * t - 2 * Complex.Log((1 - g * e) / (1 - g)));
        Complex dTerm = (b - d) / (xi * xi) * (1 - e) / (1 - g * e);
        return Complex.Exp(c + dTerm * model.Variance);
    }
}
