using Drift.Brownian;

namespace Drift.Solve.Sde;

/// <summary>
/// One derivative-free Itô Milstein step for general (non-commutative) noise, g ∈ ℝ^{d×m} in the
/// <see cref="NoiseKind.General"/> layout (Kloeden &amp; Platen 1992, §11.1, (1.7)), given the increments ΔW and the
/// space–space Lévy areas A_jk of the step:
/// X_{n+1} = X + f h + Σ_k g_k ΔW_k + Σ_{j,k} (g_k(Υ_j) − g_k(X))/√h · I_jk, Υ_j = X + f h + g_j √h,
/// with I_jk = ½ΔW_jΔW_k − ½hδ_jk + A_jk the iterated Itô integral ∫(W_j − W_j(t)) dW_k (A_kj = −A_jk). The difference
/// quotient is L^j g_k = Σ_l g_lj ∂g_k/∂x_l + O(√h), which keeps strong order 1 for any noise when the areas are
/// simulated to L² error O(h^{3/2}); with the areas left out (A = 0) the scheme has strong order ½ unless the noise
/// is commutative (L^j g_k = L^k g_j), where the areas cancel. Costs one drift and 1 + m diffusion evaluations.
/// </summary>
internal static class GeneralNoiseMilstein
{
    /// <summary>Scratch slots used, from the first slot given.</summary>
    public const int Slots = 6;

    /// <summary>Advances x (d rows of <paramref name="paths"/>) in place.</summary>
    /// <param name="drift">f.</param>
    /// <param name="diffusion">g, general layout (row i·m + k).</param>
    /// <param name="scratch">Scratch; slots firstSlot … firstSlot + 5 are used.</param>
    /// <param name="firstSlot">First scratch slot to use.</param>
    /// <param name="t">Step start.</param>
    /// <param name="h">Step length.</param>
    /// <param name="dW">m rows of increments.</param>
    /// <param name="area">m(m − 1)/2 rows of A_jk (j &lt; k, <c>LevyArea.PairIndex</c> order), or empty to leave the areas out.</param>
    /// <param name="x">States.</param>
    /// <param name="paths">Paths in the batch.</param>
    public static void Step<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, int firstSlot, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> area, Span<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var f = scratch.Slot(firstSlot, d * paths);
        var g = scratch.Slot(firstSlot + 1, d * m * paths);
        var support = scratch.Slot(firstSlot + 2, d * paths);
        var gj = scratch.Slot(firstSlot + 3, d * m * paths);
        var increment = scratch.Slot(firstSlot + 4, d * paths);
        var coefficient = scratch.Slot(firstSlot + 5, paths);
        drift.Evaluate(t, x, f, paths);
        diffusion.Evaluate(t, x, g, paths);
        double sqrtH = Math.Sqrt(h), inverseRoot = 1 / sqrtH;
        // Euler part.
        for (int i = 0; i < d; i++)
        {
            var inc = increment.Slice(i * paths, paths);
            var fi = f.Slice(i * paths, paths);
            for (int p = 0; p < paths; p++) inc[p] = fi[p] * h;
            for (int k = 0; k < m; k++)
            {
                var gik = g.Slice((i * m + k) * paths, paths);
                var wk = dW.Slice(k * paths, paths);
                for (int p = 0; p < paths; p++) inc[p] += gik[p] * wk[p];
            }
        }
        for (int j = 0; j < m; j++)
        {
            var wj = dW.Slice(j * paths, paths);
            for (int i = 0; i < d; i++)
            {
                var s = support.Slice(i * paths, paths);
                var xi = x.Slice(i * paths, paths);
                var fi = f.Slice(i * paths, paths);
                var gij = g.Slice((i * m + j) * paths, paths);
                for (int p = 0; p < paths; p++) s[p] = xi[p] + fi[p] * h + gij[p] * sqrtH;
            }
            diffusion.Evaluate(t, support, gj, paths);
            for (int k = 0; k < m; k++)
            {
                var wk = dW.Slice(k * paths, paths);
                double shift = j == k ? 0.5 * h : 0;
                for (int p = 0; p < paths; p++) coefficient[p] = (0.5 * wj[p] * wk[p] - shift) * inverseRoot;
                if (!area.IsEmpty && j != k)
                {
                    int pair = j < k ? LevyArea.PairIndex(j, k, m) : LevyArea.PairIndex(k, j, m);
                    double sign = (j < k ? 1 : -1) * inverseRoot;
                    var a = area.Slice(pair * paths, paths);
                    for (int p = 0; p < paths; p++) coefficient[p] += sign * a[p];
                }
                for (int i = 0; i < d; i++)
                {
                    var inc = increment.Slice(i * paths, paths);
                    var shifted = gj.Slice((i * m + k) * paths, paths);
                    var at = g.Slice((i * m + k) * paths, paths);
                    for (int p = 0; p < paths; p++) inc[p] += (shifted[p] - at[p]) * coefficient[p];
                }
            }
        }
        for (int i = 0; i < d * paths; i++) x[i] += increment[i];
    }
}
