using Drift.Random;

namespace Drift.Brownian.Fractional;

/// <summary>
/// The Markov approximation of fractional Brownian motion by a weighted sum of Ornstein–Uhlenbeck processes driven by
/// one Brownian motion W (Carmona &amp; Coutin 1998; Harms &amp; Stefanovits 2019; the construction used by Daems et al.,
/// "Variational inference for SDEs driven by fractional noise", ICLR 2024):
/// B̂_t = Σ_k ω_k Y_t^k, dY^k = −γ_k Y^k dt + dW, Y^k_0 = 0, approximating the Riemann–Liouville (type II) fBM
/// B̃_t = (1/Γ(H + ½)) ∫₀^t (t − s)^{H−½} dW_s, whose kernel is the Laplace transform
/// (t − s)^{H−½}/Γ(H + ½) = ∫₀^∞ e^{−γ(t−s)} γ^{−(H+½)} dγ / (Γ(H + ½)Γ(½ − H)) (H &lt; ½; for H &gt; ½ the same
/// least-squares fit is made without that representation).
/// </summary>
/// <remarks>
/// <para>Speeds: by default the geometric grid γ_k = 10^{−2 + 6(k−1)/(K−1)}/T, k = 1..K (from 0.01/T to 10⁴/T; γ₁ = 1/T
/// when K = 1); the five-argument constructor takes other ends.</para>
/// <para>Weights: the optimal L² weights ω = A⁻¹b minimising ∫₀^T E[(B̃_t − Σ ω_k Y^k_t)²] dt, with
/// A_ij = ∫₀^T E[Y^i_t Y^j_t] dt = T/g − (1 − e^{−gT})/g² (g = γ_i + γ_j) and
/// b_k = ∫₀^T E[B̃_t Y^k_t] dt = γ_k^{−a−1}(x P(a, x) − a P(a + 1, x)) at x = γ_kT, a = H + ½, P the regularised
/// lower incomplete gamma function (because E[B̃_t Y^k_t] = γ_k^{−a} P(a, γ_k t)). The relative L² error is then
/// ε_K² = 1 − bᵀω / c with c = ∫₀^T E[B̃_t²] dt = T^{2H+1}/(2H(2H + 1)Γ(a)²). A is close to singular for many
/// components; it is equilibrated to a unit diagonal and solved by Cholesky with a diagonal jitter of 10⁻¹³, and K is
/// limited to 16.</para>
/// <para>Because B̂ is a linear SDE system with one Brownian driver, fractional-like noise can be fed to any solver as
/// K extra state components (dY = −γ ∘ Y dt + 1 dW) and read as Σ ω_k Y^k: <c>Drift.Models.MarkovFractionalNoise</c>
/// is that system as an SDE for <c>Ensemble.Solve</c>.</para>
/// </remarks>
public sealed class MarkovFbmApproximation
{
    /// <summary>Builds the K-component approximation of type-II fBM with Hurst index H on [0, T], speeds 0.01/T … 10⁴/T.</summary>
    /// <exception cref="ArgumentException">H outside (0, 1), K outside 1..16, or a bad horizon.</exception>
    public MarkovFbmApproximation(double hurst, int components, double horizon)
        : this(hurst, components, horizon, 1e-2 / horizon, 1e4 / horizon)
    {
    }

    /// <summary>
    /// As the three-argument constructor, with the geometric speed grid running from <paramref name="slowestSpeed"/> to
    /// <paramref name="fastestSpeed"/> (K = 1 takes the geometric mean). A lower fastest speed makes the OU system less
    /// stiff for explicit solvers at the price of a larger error for small H.
    /// </summary>
    /// <exception cref="ArgumentException">Bad H, K or horizon, or speeds not 0 &lt; slowest ≤ fastest (finite).</exception>
    public MarkovFbmApproximation(double hurst, int components, double horizon, double slowestSpeed, double fastestSpeed)
    {
        if (!(slowestSpeed > 0) || !(fastestSpeed >= slowestSpeed) || !double.IsFinite(fastestSpeed))
            throw new ArgumentOutOfRangeException(nameof(fastestSpeed), fastestSpeed, $"speeds must satisfy 0 < slowest ({slowestSpeed}) <= fastest, finite.");
        if (!(hurst > 0 && hurst < 1)) throw new ArgumentOutOfRangeException(nameof(hurst), hurst, "the Hurst index must lie in (0, 1).");
        if (components < 1 || components > 16) throw new ArgumentOutOfRangeException(nameof(components), components, "components must be in 1..16.");
        if (!(horizon > 0) || !double.IsFinite(horizon)) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be positive and finite.");
        Hurst = hurst;
        Horizon = horizon;
        int k = components;
        var speeds = new double[k];
        double ratio = fastestSpeed / slowestSpeed;
        for (int i = 0; i < k; i++) speeds[i] = slowestSpeed * Math.Pow(ratio, k == 1 ? 0.5 : (double)i / (k - 1));
        double a = hurst + 0.5, t = horizon;
        var matrix = new double[k * k];
        var rhs = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double g = speeds[i] + speeds[j];
                matrix[i * k + j] = t / g - (-double.ExpM1(-g * t)) / (g * g);
            }
            double x = speeds[i] * t;
            rhs[i] = Math.Pow(speeds[i], -a - 1) * (x * RegularizedGammaP(a, x) - a * RegularizedGammaP(a + 1, x));
        }
        var weights = SolveSymmetric(matrix, rhs, k);
        double c = Math.Pow(t, 2 * hurst + 1) / (2 * hurst * (2 * hurst + 1) * Math.Exp(2 * Variates.LogGamma(a)));
        double explained = 0;
        for (int i = 0; i < k; i++) explained += rhs[i] * weights[i];
        Speeds = speeds;
        Weights = weights;
        RelativeL2Error = Math.Sqrt(Math.Max(0, 1 - explained / c));
    }

    /// <summary>Hurst index H.</summary>
    public double Hurst { get; }

    /// <summary>Horizon T.</summary>
    public double Horizon { get; }

    /// <summary>Mean-reversion speeds γ_k.</summary>
    public IReadOnlyList<double> Speeds { get; }

    /// <summary>Optimal L² weights ω_k.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>ε_K = (∫₀^T E[(B̃_t − B̂_t)²] dt / ∫₀^T E[B̃_t²] dt)^{1/2}, in closed form.</summary>
    public double RelativeL2Error { get; }

    /// <summary>E[B̂_t²] = Σ_ij ω_iω_j (1 − e^{−(γ_i+γ_j)t})/(γ_i + γ_j): the approximation's variance at t.</summary>
    public double Variance(double time)
    {
        double v = 0;
        for (int i = 0; i < Weights.Count; i++)
            for (int j = 0; j < Weights.Count; j++)
            {
                double g = Speeds[i] + Speeds[j];
                v += Weights[i] * Weights[j] * (-double.ExpM1(-g * time)) / g;
            }
        return v;
    }

    /// <summary>E[B̃_t²] = t^{2H}/(2H Γ(H + ½)²): the Riemann–Liouville fBM's variance at t.</summary>
    public static double RiemannLiouvilleVariance(double hurst, double time) =>
        Math.Pow(time, 2 * hurst) / (2 * hurst * Math.Exp(2 * Variates.LogGamma(hurst + 0.5)));

    /// <summary>The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a): series for x &lt; a + 1, continued fraction beyond (Numerical Recipes §6.2).</summary>
    internal static double RegularizedGammaP(double a, double x)
    {
        if (x <= 0) return 0;
        double logPrefix = a * Math.Log(x) - x - Variates.LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 1000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-17) break;
            }
            return sum * Math.Exp(logPrefix);
        }
        // Modified Lentz for Q(a, x) = e^{−x}x^a/Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)).
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (int n = 1; n < 1000; n++)
        {
            double an = -n * (n - a);
            b += 2;
            d = an * d + b; if (Math.Abs(d) < 1e-300) d = 1e-300;
            c = b + an / c; if (Math.Abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return 1 - Math.Exp(logPrefix) * h;
    }

    private static double[] SolveSymmetric(double[] matrix, double[] rhs, int n)
    {
        // Equilibrate to a unit diagonal (D A D)(D⁻¹x) = D b, then Cholesky with a 1e-13 diagonal jitter; a pivot that
        // rounding drives to zero is held at the jitter, which gives a minimum-norm-like solution instead of NaN.
        var scale = new double[n];
        for (int i = 0; i < n; i++) scale[i] = 1 / Math.Sqrt(matrix[i * n + i]);
        var a = new double[n * n];
        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = rhs[i] * scale[i];
            for (int j = 0; j < n; j++) a[i * n + j] = matrix[i * n + j] * scale[i] * scale[j];
        }
        const double jitter = 1e-13;
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j] + (i == j ? jitter : 0);
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = i == j ? Math.Sqrt(Math.Max(sum, jitter)) : sum / l[j * n + j];
            }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
            y[i] = sum / l[i * n + i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
        for (int i = 0; i < n; i++) x[i] *= scale[i];
        return x;
    }
}
