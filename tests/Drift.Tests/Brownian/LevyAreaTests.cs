using Drift.Brownian;
using Drift.Random;
using Xunit.Abstractions;

namespace Drift.Tests.Brownian;

public class LevyAreaTests(ITestOutputHelper output)
{
    private static (double[] W, double[] A) Draw(int m, int n, double h, int terms, LevyAreaMethod method, ulong seed, long step = 5)
    {
        var source = new LevyAreaIncrements(seed, terms, method);
        int pairs = LevyArea.Pairs(m);
        var w = new double[m * n];
        var a = new double[pairs * n];
        var work = new double[source.WorkspaceLength(m)];
        for (int p = 0; p < n; p++) source.Draw(p, step, h, w.AsSpan(p * m, m), a.AsSpan(p * pairs, pairs), work);
        return (w, a);
    }

    private static (double Mean, double StandardError) MeanOf(double[] v)
    {
        double mean = v.Average();
        double var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, Math.Sqrt(var / v.Length));
    }

    [Fact]
    public void Areas_have_mean_zero_variance_h2_over_4_bridge_variance_h2_over_12_and_are_uncorrelated_with_the_increments()
    {
        const int m = 3, n = 20_000;
        const double h = 0.25;
        var (w, a) = Draw(m, n, h, 3, LevyAreaMethod.MrongowiusRossler, 21);
        int pairs = LevyArea.Pairs(m);
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++)
            {
                int q = LevyArea.PairIndex(i, j, m);
                var area = Enumerable.Range(0, n).Select(p => a[p * pairs + q]).ToArray();
                var (mean, se) = MeanOf(area);
                Assert.True(Math.Abs(mean) < 5 * se, $"E A_{i}{j} = {mean} ± {se}");
                // E[A²] = h²/4 (the full area); E[A² − h(ΔW_i² + ΔW_j²)/12] = h²/12 (its Brownian-bridge part).
                var (second, se2) = MeanOf(area.Select(x => x * x).ToArray());
                Assert.True(Math.Abs(second - h * h / 4) < 5 * se2, $"E A² = {second} ± {se2}, want {h * h / 4}");
                var bridge = Enumerable.Range(0, n).Select(p => area[p] * area[p] - h * (w[p * m + i] * w[p * m + i] + w[p * m + j] * w[p * m + j]) / 12).ToArray();
                var (b, seB) = MeanOf(bridge);
                Assert.True(Math.Abs(b - h * h / 12) < 5 * seB, $"bridge part {b} ± {seB}, want {h * h / 12}");
                double bound = 5 / Math.Sqrt(n);
                for (int k = 0; k < m; k++)
                {
                    var wk = Enumerable.Range(0, n).Select(p => w[p * m + k]).ToArray();
                    Assert.InRange(StatisticalTests.Correlation(area, wk), -bound, bound);
                }
                var product = Enumerable.Range(0, n).Select(p => w[p * m + i] * w[p * m + j]).ToArray();
                Assert.InRange(StatisticalTests.Correlation(area, product), -bound, bound);
            }
    }

    [Fact]
    public void Swapping_the_components_negates_the_area()
    {
        const int m = 2, p = 4;
        int need = LevyArea.NormalsNeeded(m, p, LevyAreaMethod.MrongowiusRossler);
        var z = new double[need];
        new PhiloxNormals(3).FillStream(0, 0, z);
        double[] dW = [0.3, -0.7];
        var area = new double[1];
        LevyArea.Sample(dW, 0.5, p, LevyAreaMethod.MrongowiusRossler, z, area);
        // Swap components 0 and 1 in X, Y and Ψ; A_10 = −A_01 needs ξ_10 = −ξ_01.
        var swapped = new double[need];
        for (int block = 0; block < 2; block++)
            for (int k = 0; k < p; k++)
            {
                swapped[block * m * p + k] = z[block * m * p + p + k];
                swapped[block * m * p + p + k] = z[block * m * p + k];
            }
        swapped[2 * m * p] = z[2 * m * p + 1];
        swapped[2 * m * p + 1] = z[2 * m * p];
        swapped[2 * m * p + 2] = -z[2 * m * p + 2];
        var reverse = new double[1];
        LevyArea.Sample([dW[1], dW[0]], 0.5, p, LevyAreaMethod.MrongowiusRossler, swapped, reverse);
        Assert.Equal(-area[0], reverse[0], 1e-15);
        Assert.NotEqual(0.0, area[0]);
    }

    [Fact]
    public void A_refined_step_is_Chens_concatenation_of_the_fine_steps()
    {
        const int m = 3, r = 4;
        const double h = 0.2;
        var coarse = new LevyAreaIncrements(8, 2, LevyAreaMethod.MrongowiusRossler, r);
        var fine = new LevyAreaIncrements(8, 2);
        var work = new double[coarse.WorkspaceLength(m)];
        var w = new double[m];
        var a = new double[3];
        coarse.Draw(17, 3, h, w, a, work);
        var wf = new double[m];
        var af = new double[3];
        var wq = new double[m];
        var aq = new double[3];
        for (int q = 0; q < r; q++)
        {
            fine.Draw(17, 3 * r + q, h / r, wq, aq, work);
            if (q == 0) { wq.CopyTo(wf, 0); aq.CopyTo(af, 0); }
            else LevyArea.Concatenate(wf, af, wq, aq);
        }
        for (int j = 0; j < m; j++) Assert.Equal(wf[j], w[j], 1e-15);
        for (int j = 0; j < 3; j++) Assert.Equal(af[j], a[j], 1e-15);
        // The increments do not depend on whether areas are drawn.
        var bare = new double[m];
        coarse.Draw(17, 3, h, bare, default, work);
        for (int j = 0; j < m; j++) Assert.Equal(w[j], bare[j], 1e-15);
    }

    [Fact]
    public void Mrongowius_Rossler_areas_follow_the_exact_law_where_the_bare_Fourier_sum_does_not()
    {
        // For m = 2, A_12/h has density sech(πa) (Lévy 1951): CDF (2/π)·arctan(e^{πa}).
        const int n = 20_000;
        const double h = 0.5;
        static double Cdf(double a) => 2 / Math.PI * Math.Atan(Math.Exp(Math.PI * a));
        var (_, mr) = Draw(2, n, h, 2, LevyAreaMethod.MrongowiusRossler, 4);
        var (_, fourier) = Draw(2, n, h, 2, LevyAreaMethod.Fourier, 4);
        double pMr = StatisticalTests.KolmogorovSmirnovPValue(mr.Select(x => x / h).ToArray(), Cdf);
        double pFourier = StatisticalTests.KolmogorovSmirnovPValue(fourier.Select(x => x / h).ToArray(), Cdf);
        output.WriteLine($"KS p-values against the sech law at p = 2: Mrongowius–Rößler {pMr:G3}, Fourier {pFourier:G3}");
        Assert.True(pMr > 1e-3, $"MR p = {pMr}");
        Assert.True(pFourier < 1e-6, $"Fourier p = {pFourier}");
    }

    [Fact]
    public void Mrongowius_Rossler_tail_gives_the_exact_conditional_covariance_at_one_term()
    {
        // Given ΔW: Var A_ij = h²/12 + h(ΔW_i² + ΔW_j²)/12 and Cov(A_01, A_02) = h·ΔW_1ΔW_2/12.
        const int m = 3, n = 20_000, p = 1;
        const double h = 1.0;
        double[] dW = [1.5, 2.0, -1.8];
        foreach (var method in new[] { LevyAreaMethod.MrongowiusRossler, LevyAreaMethod.Fourier })
        {
            int need = LevyArea.NormalsNeeded(m, p, method);
            var z = new double[need];
            var area = new double[3];
            var normals = new PhiloxNormals(99);
            var v01 = new double[n];
            var c = new double[n];
            for (int s = 0; s < n; s++)
            {
                normals.FillStream((ulong)s, 0, z);
                LevyArea.Sample(dW, h, p, method, z, area);
                v01[s] = area[0] * area[0];
                c[s] = area[0] * area[1];
            }
            double wantVar = h * h / 12 + h * (dW[0] * dW[0] + dW[1] * dW[1]) / 12, wantCov = h * dW[1] * dW[2] / 12;
            var (var01, seVar) = MeanOf(v01);
            var (cov, seCov) = MeanOf(c);
            double zVar = (var01 - wantVar) / seVar, zCov = (cov - wantCov) / seCov;
            output.WriteLine($"{method}: Var z = {zVar:F2}, Cov z = {zCov:F2}");
            if (method == LevyAreaMethod.MrongowiusRossler)
            {
                Assert.True(Math.Abs(zVar) < 5, $"Var {var01} ± {seVar}, want {wantVar}");
                Assert.True(Math.Abs(zCov) < 5, $"Cov {cov} ± {seCov}, want {wantCov}");
            }
            else
            {
                Assert.True(zVar < -10, $"Fourier Var {var01} ± {seVar} should fall short of {wantVar}");
                Assert.True(zCov > 10, $"Fourier Cov {cov} ± {seCov} should fall short of {wantCov} (negative)");
            }
        }
    }

    [Fact]
    public void Fourier_truncation_error_falls_as_p_to_the_minus_half_against_a_long_series_on_the_same_normals()
    {
        // E[(A − A_p)²] = (h/2π)²·2(ψ′(p+1) − ψ′(P+1))·E[1 + W_i² + W_j²] = (h/2π)²·6(ψ′(p+1) − ψ′(P+1)).
        const int m = 2, n = 2000, big = 1024;
        const double h = 1.0;
        int[] ps = [1, 2, 4, 8, 16, 32];
        var normals = new PhiloxNormals(17);
        var zBig = new double[2 * m * big];
        var dW = new double[m];
        var reference = new double[1];
        var approx = new double[1];
        var sq = ps.Select(_ => new double[n]).ToArray();
        for (int s = 0; s < n; s++)
        {
            normals.FillStream((ulong)s, 0, dW);
            normals.FillStream((ulong)s, 1 << 20, zBig);
            LevyArea.Sample(dW, h, big, LevyAreaMethod.Fourier, zBig, reference);
            for (int c = 0; c < ps.Length; c++)
            {
                int p = ps[c];
                var z = new double[2 * m * p];
                for (int block = 0; block < 2; block++)
                    for (int i = 0; i < m; i++)
                        for (int k = 0; k < p; k++)
                            z[(block * m + i) * p + k] = zBig[(block * m + i) * big + k];
                LevyArea.Sample(dW, h, p, LevyAreaMethod.Fourier, z, approx);
                sq[c][s] = (approx[0] - reference[0]) * (approx[0] - reference[0]);
            }
        }
        var rmse = new double[ps.Length];
        for (int c = 0; c < ps.Length; c++)
        {
            var (mse, se) = MeanOf(sq[c]);
            double want = h * h / (4 * Math.PI * Math.PI) * 6 * (LevyArea.TailSum(ps[c]) - LevyArea.TailSum(big));
            Assert.True(Math.Abs(mse - want) < 5 * se, $"p = {ps[c]}: MSE {mse} ± {se}, want {want}");
            rmse[c] = Math.Sqrt(mse);
            Assert.True(rmse[c] <= LevyArea.TruncationBound(m, h, ps[c], LevyAreaMethod.Fourier), $"p = {ps[c]}: {rmse[c]} above the bound");
        }
        double slope = StatisticalTests.LogLogSlope(ps.Select(p => (double)p).ToArray(), rmse);
        output.WriteLine($"Fourier RMSE slope {slope:F3}: {string.Join(", ", rmse.Select(e => e.ToString("E2")))}");
        Assert.InRange(slope, -0.6, -0.4);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_their_names()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LevyArea.NormalsNeeded(2, 0, LevyAreaMethod.Fourier));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevyArea.TermsFor(2, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevyArea.PairIndex(1, 1, 3));
        var e = Assert.Throws<ArgumentException>(() => LevyArea.Sample([0.1, 0.2], 1, 2, LevyAreaMethod.Fourier, new double[3], new double[1]));
        Assert.Equal("normals", e.ParamName);
        Assert.Equal(2, LevyArea.PairIndex(0, 3, 4));
        Assert.Equal(3, LevyArea.PairIndex(1, 2, 4));
        Assert.Equal(5, LevyArea.PairIndex(2, 3, 4));
        Assert.Equal(Math.PI * Math.PI / 6 - 1 - 0.25, LevyArea.TailSum(2), 1e-15);
        Assert.Equal(1.0 / 64.5, LevyArea.TailSum(64), 1e-6);
    }
}
