using Drift.Numerics;

namespace Drift.Langevin;

/// <summary>Coefficients of U_{h/2} applied to the raw rows (ΔW ~ N(0, h), H ~ N(0, h/12)).</summary>
internal readonly record struct UbuHalfStep(double Eta, double QP, double QW, double QH, double PW, double PH)
{
    public static UbuHalfStep Of(double h, double gamma, double beta, double mass)
    {
        double tau = 0.5 * h, x = gamma * tau;
        double eta = Math.Exp(-x), a = -ScalarMath.ExpM1(-x);  // 1 − η without cancellation
        double sigma = Math.Sqrt(2 * gamma * mass / beta);
        double regress = a / x;                                 // Cov(ΔW, Z)/Var ΔW
        double residual = Math.Sqrt(ConditionalVariance(x) / gamma);
        double perW = Math.Sqrt(tau / h);                       // ΔW_τ per raw row value
        double perH = Math.Sqrt(12.0 / h);                      // ζ per raw Lévy value
        double qScale = sigma / (gamma * mass);
        return new UbuHalfStep(eta, a / (gamma * mass),
            qScale * (1 - regress) * perW, -qScale * residual * perH,
            sigma * regress * perW, sigma * residual * perH);
    }

    /// <summary>γ·(Var Z − Cov²/τ) = (1 − e^{−2x})/2 − (1 − e^{−x})²/x for x = γτ, with a series where it cancels.</summary>
    internal static double ConditionalVariance(double x)
    {
        if (x < 1e-3)
            return x * x * x * (1.0 / 12 + x * (-1.0 / 12 + x * (17.0 / 360 - x * 7.0 / 360)));
        double a = -ScalarMath.ExpM1(-x);
        return -0.5 * ScalarMath.ExpM1(-2 * x) - a * a / x;
    }

    public void Apply(Span<double> q, Span<double> p, ReadOnlySpan<double> w, ReadOnlySpan<double> area)
    {
        Elementwise.Map(new AddCombine3(QP, QW, QH), q, p, w, area, q);
        Elementwise.Map(new Combine3(Eta, PW, PH), p, w, area, p);
    }
}
