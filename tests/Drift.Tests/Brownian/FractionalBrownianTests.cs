using Drift.Brownian.Fractional;
using Drift.Models.Finance;
using Drift.Random;
using Xunit.Abstractions;

namespace Drift.Tests.Brownian;

public class FractionalBrownianTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FbmMethod.DaviesHarte, 0.1)]
    [InlineData(FbmMethod.DaviesHarte, 0.5)]
    [InlineData(FbmMethod.DaviesHarte, 0.9)]
    [InlineData(FbmMethod.Cholesky, 0.25)]
    [InlineData(FbmMethod.Cholesky, 0.75)]
    public void Each_sampler_is_a_linear_map_with_exactly_the_fBM_covariance(FbmMethod method, double hurst)
    {
        foreach (int n in new[] { 1, 2, 7, 16 })
        {
            double t = 2.5, dt = t / n;
            var fbm = new FractionalBrownianMotion(hurst, n, t, method);
            var cov = new double[n, n];
            var z = new double[fbm.NormalsPerPath];
            var path = new double[n];
            var work = new double[fbm.WorkLength];
            for (int j = 0; j < z.Length; j++)
            {
                Array.Clear(z);
                z[j] = 1;
                fbm.Sample(z, path, work);
                for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) cov[a, b] += path[a] * path[b];
            }
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                {
                    double want = FractionalBrownianMotion.Covariance((a + 1) * dt, (b + 1) * dt, hurst);
                    Assert.True(Math.Abs(cov[a, b] - want) < 1e-12 * Math.Max(1, want), $"{method} H={hurst} n={n}: Cov[{a},{b}] = {cov[a, b]}, want {want}");
                }
        }
    }

    [Theory]
    [InlineData(FbmMethod.DaviesHarte, 0.2)]
    [InlineData(FbmMethod.DaviesHarte, 0.5)]
    [InlineData(FbmMethod.DaviesHarte, 0.8)]
    [InlineData(FbmMethod.Cholesky, 0.3)]
    public void Sampled_covariance_matches_the_formula_within_five_standard_errors(FbmMethod method, double hurst)
    {
        const int n = 8, paths = 4000;
        var fbm = new FractionalBrownianMotion(hurst, n, 1, method);
        var normals = new PhiloxNormals(SeedMixer.Derive(99, (ulong)(hurst * 100)));
        var z = new double[fbm.NormalsPerPath];
        var work = new double[fbm.WorkLength];
        var samples = new double[paths, n];
        var path = new double[n];
        for (int p = 0; p < paths; p++)
        {
            normals.FillStream((ulong)p, 0, z);
            fbm.Sample(z, path, work);
            for (int k = 0; k < n; k++) samples[p, k] = path[k];
        }
        double worst = 0;
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double sum = 0, sum2 = 0;
                for (int p = 0; p < paths; p++) { double v = samples[p, a] * samples[p, b]; sum += v; sum2 += v * v; }
                double mean = sum / paths, se = Math.Sqrt((sum2 / paths - mean * mean) / paths);
                double zScore = (mean - FractionalBrownianMotion.Covariance((a + 1) / 8.0, (b + 1) / 8.0, hurst)) / se;
                worst = Math.Max(worst, Math.Abs(zScore));
            }
        output.WriteLine($"{method} H = {hurst}: largest |z| over the 36 covariances: {worst:F2}");
        Assert.True(worst < 5, $"a covariance is {worst:F2} standard errors off");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.7)]
    public void Hurst_index_is_recovered_by_the_variogram_estimator(double hurst)
    {
        // E(B_{t+kΔ} − B_t)² = (kΔ)^{2H}: the slope of log mean squared increment against log k, halved.
        const int n = 1024, paths = 8;
        var fbm = new FractionalBrownianMotion(hurst, n, 1);
        var normals = new PhiloxNormals(7);
        var z = new double[fbm.NormalsPerPath];
        var work = new double[fbm.WorkLength];
        var path = new double[n];
        var lags = new[] { 1, 2, 4, 8, 16 };
        var sums = new double[lags.Length];
        var counts = new long[lags.Length];
        for (int p = 0; p < paths; p++)
        {
            normals.FillStream((ulong)p, 0, z);
            fbm.Sample(z, path, work);
            for (int l = 0; l < lags.Length; l++)
                for (int i = 0; i + lags[l] < n; i++) { double d = path[i + lags[l]] - path[i]; sums[l] += d * d; counts[l]++; }
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int l = 0; l < lags.Length; l++)
        {
            double x = Math.Log(lags[l]), y = Math.Log(sums[l] / counts[l]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        double estimate = (lags.Length * sxy - sx * sy) / (lags.Length * sxx - sx * sx) / 2;
        output.WriteLine($"H = {hurst}: variogram estimate {estimate:F4}");
        Assert.True(Math.Abs(estimate - hurst) < 0.03, $"estimated H {estimate}");
    }

    [Fact]
    public void Paths_scale_self_similarly()
    {
        // B_H(ct) has the law of c^H B_H(t); with the same normals the sampler's paths scale exactly.
        double hurst = 0.35;
        var a = new FractionalBrownianMotion(hurst, 32, 1);
        var b = new FractionalBrownianMotion(hurst, 32, 4);
        var z = new double[a.NormalsPerPath];
        new PhiloxNormals(3).FillStream(0, 0, z);
        var pa = new double[32];
        var pb = new double[32];
        a.Sample(z, pa, new double[a.WorkLength]);
        b.Sample(z, pb, new double[b.WorkLength]);
        for (int k = 0; k < 32; k++) Assert.Equal(Math.Pow(4, hurst) * pa[k], pb[k], 12);
    }

    [Fact]
    public void Circulant_embedding_refuses_a_covariance_it_cannot_embed()
    {
        // γ = (1, 0.9, −0.9) is not non-negative definite in any circulant embedding of size 4.
        double[] bad = [1.0, 0.9, -0.9];
        var e = Assert.Throws<ArgumentException>(() => new CirculantEmbedding(3, lag => lag < 3 ? bad[lag] : 0));
        Assert.Contains("not non-negative definite", e.Message);
        Assert.Throws<ArgumentException>(() => new CirculantEmbedding(2, lag => lag == 0 ? 1 : double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FractionalBrownianMotion(1, 8, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FractionalBrownianMotion(0.5, 4096, 1, FbmMethod.Cholesky));
        Assert.Throws<ArgumentException>(() => new FractionalBrownianMotion(0.5, 8, 1).Sample(new double[3], new double[8], new double[32]));
    }

    [Fact]
    public void Incomplete_gamma_matches_closed_forms()
    {
        foreach (double x in new[] { 0.01, 0.5, 1, 2, 5, 20 })
        {
            Assert.Equal(-double.ExpM1(-x), MarkovFbmApproximation.RegularizedGammaP(1, x), 13);
            Assert.Equal(1 - BlackScholes.Erfc(Math.Sqrt(x)), MarkovFbmApproximation.RegularizedGammaP(0.5, x), 13);
        }
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.7)]
    public void Markov_approximation_error_falls_as_components_are_added(double hurst)
    {
        double previous = double.PositiveInfinity;
        // Nested speed grids (2 ⊂ 3 ⊂ 7 ⊂ 13 components: exponents −2..4 in steps 6, 3, 1, ½), so the optimal error cannot rise.
        foreach (int k in new[] { 2, 3, 7, 13 })
        {
            var m = new MarkovFbmApproximation(hurst, k, 1);
            double varianceError = m.Variance(1) / MarkovFbmApproximation.RiemannLiouvilleVariance(hurst, 1) - 1;
            output.WriteLine($"H = {hurst}, K = {k,2}: relative L2 error {m.RelativeL2Error:E3}, variance at T off by {varianceError:E2}");
            Assert.True(m.RelativeL2Error <= previous * (1 + 1e-9), $"K = {k}: error rose from {previous} to {m.RelativeL2Error}");
            previous = m.RelativeL2Error;
        }
        Assert.True(previous < 0.05, $"13 components leave a relative L2 error of {previous}");
        // At H = ½ the kernel is 1 = e^{−0·(t−s)}, nearly the slowest OU: a few components are almost exact.
        Assert.True(new MarkovFbmApproximation(0.5, 4, 1).RelativeL2Error < 0.01);
    }
}

public class MarkovFractionalNoiseTests(ITestOutputHelper output)
{
    [Fact]
    public void The_OU_system_run_by_Euler_Maruyama_has_the_approximation_variance()
    {
        // Speeds 0.01..20 so that Euler with h = 5e-4 is accurate (γh ≤ 0.01: variance bias below 1%).
        var approx = new MarkovFbmApproximation(0.7, 4, 1, 0.01, 20);
        var noise = new Drift.Models.MarkovFractionalNoise(approx);
        var problem = new Drift.Solve.SdeProblem<Drift.Models.MarkovFractionalNoise, Drift.Models.MarkovFractionalNoise>(noise, noise, new double[4], 0, 1);
        const int paths = 2000;
        var s = DiffEq.Solve(problem, new Drift.Solve.Sde.EulerMaruyama(), new SolveOptions { Controller = Drift.Solve.ConstantStep.WithSteps(2000), Paths = paths, Seed = 8, KeepPaths = true });
        var b = new double[paths];
        var state = new double[4];
        for (int p = 0; p < paths; p++)
        {
            for (int k = 0; k < 4; k++) state[k] = s.Ensemble.Path(s.Times.Count - 1, k, p);
            b[p] = noise.Read(state);
        }
        double m2 = b.Average(x => x * x), m4 = b.Average(x => x * x * x * x);
        double se = Math.Sqrt((m4 - m2 * m2) / paths), want = approx.Variance(1);
        output.WriteLine($"E B̂(1)² = {m2:F4} ± {se:F4}, closed form {want:F4}; RL fBM {MarkovFbmApproximation.RiemannLiouvilleVariance(0.7, 1):F4}; relative L2 error {approx.RelativeL2Error:E2}");
        Assert.True(Math.Abs(m2 - want) < 5 * se, $"E B̂² = {m2} vs {want}, SE {se}");
    }
}
