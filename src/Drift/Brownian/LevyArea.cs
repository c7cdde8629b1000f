namespace Drift.Brownian;

/// <summary>
/// Space–space Lévy areas of an m-dimensional Brownian motion over one step of length h:
/// A_ij = ½(∫(W_i − W_i(t)) dW_j − ∫(W_j − W_j(t)) dW_i) for i &lt; j, antisymmetric (A_ji = −A_ij, A_ii = 0). With them
/// the iterated Itô integrals are I_ij = ∫(W_i − W_i(t)) dW_j = ½ΔW_iΔW_j − ½hδ_ij + A_ij.
/// </summary>
/// <remarks>
/// <para>Exact facts the tests check: E[A_ij] = 0; A_ij is uncorrelated with ΔW but not independent of it:
/// E[A_ij² | ΔW] = h²/12 + h(ΔW_i² + ΔW_j²)/12, so Var A_ij = h²/4 and the Brownian-bridge part has variance h²/12;
/// for m = 2 the law of A_12/h is the hyperbolic secant law with density sech(πa) (Lévy 1951), CDF (2/π)·arctan(e^{πa}).</para>
/// <para>Sampling (Wiktorsson 2001, Ann. Appl. Probab. 11; Mrongowius &amp; Rößler 2022, Stoch. Anal. Appl. 40,
/// "On the approximation and simulation of iterated stochastic integrals and the corresponding Lévy areas in terms of a
/// multidimensional Brownian motion"). With W = ΔW/√h and independent standard normals X_ik, Y_ik
/// (k = 1..p), Ψ_i and ξ_ij:
/// A_ij ≈ (h/2π)·[Σ_{k≤p} (1/k)(X_ik(Y_jk − √2W_j) − X_jk(Y_ik − √2W_i)) + a_p(W_iΨ_j − W_jΨ_i) + a_p ξ_ij],
/// a_p = √(2ψ′(p + 1)), ψ′(p + 1) = Σ_{k&gt;p} 1/k² = π²/6 − Σ_{k≤p} 1/k². The first sum is the Fourier series of the
/// Brownian bridge (Kloeden, Platen &amp; Wright 1992); the last two terms are a Gaussian with the exact conditional
/// covariance of the dropped tail (Var a_p²(1 + W_i² + W_j²), Cov(A_ij, A_il) ∝ a_p² W_j W_l). Error bound
/// max_ij ‖A_ij − Â_ij‖_{L²} ≤ √m·h/(√12·π·p) (Mrongowius–Rößler 2022, main error estimate for their algorithm), so p ≥ √m/(√12·π·√h) keeps the area
/// error below h^{3/2}, what Milstein's strong order 1 needs (<see cref="TermsFor"/>). <see cref="LevyAreaMethod.Fourier"/>
/// drops the tail terms.</para>
/// <para>Normals are consumed in the order X (i-major, p per component), Y (likewise), then Ψ (m) and ξ (pairs i &lt; j in
/// <see cref="PairIndex"/> order) for Mrongowius–Rößler: <see cref="NormalsNeeded"/> of them. Areas are written in
/// pair order (0,1), (0,2), …, (0,m−1), (1,2), …</para>
/// </remarks>
public static class LevyArea
{
    /// <summary>The number of pairs i &lt; j, m(m − 1)/2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">m is below 1.</exception>
    public static int Pairs(int m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        return m * (m - 1) / 2;
    }

    /// <summary>Position of the pair (i, j), i &lt; j &lt; m, in the area layout: i·m − i(i + 1)/2 + (j − i − 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 ≤ i &lt; j &lt; m.</exception>
    public static int PairIndex(int i, int j, int m)
    {
        if (i < 0 || j <= i || j >= m) throw new ArgumentOutOfRangeException(nameof(j), $"need 0 <= i < j < m, got i = {i}, j = {j}, m = {m}.");
        return i * m - i * (i + 1) / 2 + (j - i - 1);
    }

    /// <summary>Standard normals one sample of m components with p terms consumes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">m below 1 or p below 1, or an unknown method.</exception>
    public static int NormalsNeeded(int m, int terms, LevyAreaMethod method)
    {
        Check(m, terms, method);
        return 2 * m * terms + (method == LevyAreaMethod.MrongowiusRossler ? m + Pairs(m) : 0);
    }

    /// <summary>
    /// The paper's bound on max_ij ‖A_ij − Â_ij‖_{L²} for p terms: √m·h/(√12·π·p) (Mrongowius–Rößler) or the Fourier
    /// truncation's √3·h/(√2·π·√p).
    /// </summary>
    public static double TruncationBound(int m, double h, int terms, LevyAreaMethod method)
    {
        Check(m, terms, method);
        CheckStep(h);
        return method == LevyAreaMethod.MrongowiusRossler
            ? Math.Sqrt(m) * h / (Math.Sqrt(12) * Math.PI * terms)
            : Math.Sqrt(3) * h / (Math.Sqrt(2) * Math.PI * Math.Sqrt(terms));
    }

    /// <summary>
    /// The fewest Mrongowius–Rößler terms whose error bound is at most h^{3/2}: ⌈√m/(√12·π·√h)⌉ (at least 1), what a
    /// Milstein step of strong order 1 needs.
    /// </summary>
    public static int TermsFor(int m, double h)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        CheckStep(h);
        return Math.Max(1, (int)Math.Ceiling(Math.Sqrt(m) / (Math.Sqrt(12) * Math.PI * Math.Sqrt(h))));
    }

    /// <summary>The tail sum ψ′(p + 1) = Σ_{k&gt;p} 1/k² (trigamma at p + 1).</summary>
    public static double TailSum(int terms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 0);
        // Asymptotic series for large p (error below 1e-18 relative for p ≥ 64), the direct difference below.
        if (terms >= 64)
        {
            double x = terms + 1.0, x2 = x * x;
            return 1 / x + 1 / (2 * x2) + 1 / (6 * x2 * x) - 1 / (30 * x2 * x2 * x) + 1 / (42 * x2 * x2 * x2 * x);
        }
        double sum = Math.PI * Math.PI / 6;
        for (int k = terms; k >= 1; k--) sum -= 1.0 / ((double)k * k);
        return sum;
    }

    /// <summary>
    /// One sample of the m(m − 1)/2 areas of a step with increments <paramref name="dW"/> over length h, from
    /// <see cref="NormalsNeeded"/> standard normals (see the class remarks for the formula and order).
    /// </summary>
    /// <param name="dW">The m increments ΔW of the step.</param>
    /// <param name="h">The step length (positive, finite).</param>
    /// <param name="terms">Fourier terms p (at least 1).</param>
    /// <param name="method">Tail treatment.</param>
    /// <param name="normals">At least <see cref="NormalsNeeded"/> independent standard normals.</param>
    /// <param name="area">Output: the m(m − 1)/2 areas in pair order.</param>
    /// <exception cref="ArgumentException">Bad h, p, method or span lengths.</exception>
    public static void Sample(ReadOnlySpan<double> dW, double h, int terms, LevyAreaMethod method, ReadOnlySpan<double> normals, Span<double> area)
    {
        int m = dW.Length;
        int need = NormalsNeeded(m, terms, method);
        CheckStep(h);
        if (normals.Length < need) throw new ArgumentException($"need {need} normals for m = {m}, p = {terms}, got {normals.Length}.", nameof(normals));
        if (area.Length < Pairs(m)) throw new ArgumentException($"need {Pairs(m)} area slots for m = {m}, got {area.Length}.", nameof(area));
        double rootH = Math.Sqrt(h), root2 = Math.Sqrt(2);
        var x = normals[..(m * terms)];
        var y = normals.Slice(m * terms, m * terms);
        bool tail = method == LevyAreaMethod.MrongowiusRossler;
        double a = tail ? Math.Sqrt(2 * TailSum(terms)) : 0;
        var psi = tail ? normals.Slice(2 * m * terms, m) : default;
        var xi = tail ? normals.Slice(2 * m * terms + m, Pairs(m)) : default;
        double scale = h / (2 * Math.PI);
        int pair = 0;
        for (int i = 0; i < m; i++)
        {
            double wi = dW[i] / rootH;
            for (int j = i + 1; j < m; j++, pair++)
            {
                double wj = dW[j] / rootH, s = 0;
                for (int k = 0; k < terms; k++)
                    s += (x[i * terms + k] * (y[j * terms + k] - root2 * wj) - x[j * terms + k] * (y[i * terms + k] - root2 * wi)) / (k + 1);
                if (tail) s += a * (wi * psi[j] - wj * psi[i] + xi[pair]);
                area[pair] = scale * s;
            }
        }
    }

    /// <summary>
    /// Chen's relation: the areas over [s, u] from those of [s, t] and [t, u] and their increments,
    /// A_ij(s,u) = A_ij(s,t) + A_ij(t,u) + ½(ΔW_i(s,t)ΔW_j(t,u) − ΔW_j(s,t)ΔW_i(t,u)). Written into <paramref name="first"/>
    /// (areas) and <paramref name="firstIncrement"/> (increments), which then describe [s, u].
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths disagree.</exception>
    public static void Concatenate(Span<double> firstIncrement, Span<double> first, ReadOnlySpan<double> secondIncrement, ReadOnlySpan<double> second)
    {
        int m = firstIncrement.Length;
        if (secondIncrement.Length != m) throw new ArgumentException($"increments of lengths {m} and {secondIncrement.Length}.", nameof(secondIncrement));
        int pairs = Pairs(m);
        if (first.Length < pairs || second.Length < pairs) throw new ArgumentException($"need {pairs} areas for m = {m}.", nameof(second));
        int pair = 0;
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++, pair++)
                first[pair] += second[pair] + 0.5 * (firstIncrement[i] * secondIncrement[j] - firstIncrement[j] * secondIncrement[i]);
        for (int i = 0; i < m; i++) firstIncrement[i] += secondIncrement[i];
    }

    private static void Check(int m, int terms, LevyAreaMethod method)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 1);
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "unknown Lévy area method.");
    }

    private static void CheckStep(double h)
    {
        if (!(h > 0) || !double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "step length must be positive and finite.");
    }
}
