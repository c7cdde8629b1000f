using Drift.Ensembles;

namespace Drift.Tests.Langevin;

/// <summary>
/// Test-side references that share no code with the integrators: adaptive Simpson quadrature of Gibbs
/// moments, exact covariance recursions of the linear (harmonic) schemes, and per-path time averages
/// with honest standard errors.
/// </summary>
internal static class LangevinOracles
{
    /// <summary>∫ₐᵇ f by adaptive Simpson with absolute tolerance <paramref name="tolerance"/> (Richardson-corrected).</summary>
    public static double Simpson(Func<double, double> f, double a, double b, double tolerance = 1e-13)
    {
        double fa = f(a), fb = f(b), m = 0.5 * (a + b), fm = f(m);
        return Refine(f, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), tolerance, 50);
    }

    private static double Refine(Func<double, double> f, double a, double b, double fa, double fm, double fb, double whole, double tolerance, int depth)
    {
        double m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
        double flm = f(lm), frm = f(rm);
        double left = (m - a) / 6 * (fa + 4 * flm + fm), right = (b - m) / 6 * (fm + 4 * frm + fb);
        double delta = left + right - whole;
        if (depth <= 0 || Math.Abs(delta) <= 15 * tolerance) return left + right + delta / 15;
        return Refine(f, a, m, fa, flm, fm, left, 0.5 * tolerance, depth - 1) + Refine(f, m, b, fm, frm, fb, right, 0.5 * tolerance, depth - 1);
    }

    /// <summary>⟨qʲ⟩ under the 1-D Gibbs density ∝ e^{−βU(q)} on [−L, L].</summary>
    public static double GibbsMoment(Func<double, double> potential, double beta, int power, double limit)
    {
        double z = Simpson(q => Math.Exp(-beta * potential(q)), -limit, limit);
        return Simpson(q => Math.Pow(q, power) * Math.Exp(-beta * potential(q)), -limit, limit) / z;
    }

    /// <summary>
    /// Mean over paths of the per-path average of f(component) over saves ≥ <paramref name="fromTime"/>;
    /// the paths are independent, so the standard error of this mean is honest even though saves of one
    /// path are correlated.
    /// </summary>
    public static (double Mean, double StandardError) PathAverage(EnsembleSolution solution, int component, double fromTime, Func<double, double> f)
    {
        int first = Array.FindIndex(solution.Times, t => t >= fromTime - 1e-9);
        int saves = solution.Times.Length - first;
        var average = new double[solution.PathCount];
        for (int k = first; k < solution.Times.Length; k++)
        {
            var row = solution.PathsAt(k, component);
            for (int p = 0; p < average.Length; p++) average[p] += f(row[p]) / saves;
        }
        double mean = average.Average();
        double ss = average.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(ss / (average.Length - 1) / average.Length));
    }

    /// <summary>A 2×2 symmetric covariance [[qq, qp], [qp, pp]] with a mean, propagated through linear maps.</summary>
    public record struct Gaussian2(double Mq, double Mp, double Qq, double Qp, double Pp)
    {
        /// <summary>x ← F x + noise(Σ): F = [[f11, f12], [f21, f22]].</summary>
        public readonly Gaussian2 Map(double f11, double f12, double f21, double f22, double sqq = 0, double sqp = 0, double spp = 0)
        {
            double nqq = f11 * f11 * Qq + 2 * f11 * f12 * Qp + f12 * f12 * Pp + sqq;
            double nqp = f11 * f21 * Qq + (f11 * f22 + f12 * f21) * Qp + f12 * f22 * Pp + sqp;
            double npp = f21 * f21 * Qq + 2 * f21 * f22 * Qp + f22 * f22 * Pp + spp;
            return new Gaussian2(f11 * Mq + f12 * Mp, f21 * Mq + f22 * Mp, nqq, nqp, npp);
        }
    }

    /// <summary>
    /// The exact law of UBU on U = ½kq² (1-D) after <paramref name="steps"/> steps from (q0, p0): each
    /// U_{h/2} is the linear map [[1, (1 − η)/(γM)], [0, η]] plus noise with the covariance of
    /// σ(∫(1 − e^{−γ(τ−s)})/(γM) dW, ∫e^{−γ(τ−s)} dW), written from the integrals directly.
    /// </summary>
    public static Gaussian2 UbuHarmonic(double k, double gamma, double beta, double mass, double h, int steps, double q0, double p0)
    {
        double tau = h / 2, eta = Math.Exp(-gamma * tau), sigma2 = 2 * gamma * mass / beta;
        double varZ = (1 - eta * eta) / (2 * gamma), cov = (1 - eta) / gamma;
        double sqq = sigma2 / (gamma * gamma * mass * mass) * (tau - 2 * cov + varZ);
        double sqp = sigma2 / (gamma * mass) * (cov - varZ);
        double spp = sigma2 * varZ;
        var g = new Gaussian2(q0, p0, 0, 0, 0);
        for (int n = 0; n < steps; n++)
        {
            g = g.Map(1, (1 - eta) / (gamma * mass), 0, eta, sqq, sqp, spp);
            g = g.Map(1, 0, -h * k, 1);
            g = g.Map(1, (1 - eta) / (gamma * mass), 0, eta, sqq, sqp, spp);
        }
        return g;
    }
}
