using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class SamplerBehaviourTests(ITestOutputHelper output)
{
    [Fact]
    public void Refined_grids_see_the_same_brownian_path()
    {
        var m = StandardMixtures.Get("ring8");
        var sch = new VpLinearSchedule();
        var model = m.AsModel(sch);
        var coarse = SamplingGrid.Create(sch, 10, GridSpacing.LogSnr);
        var fine = SamplingGrid.Create(sch, 20, GridSpacing.LogSnr);
        var a = new SamplerContext(model, coarse, 4, 0, 1, null);
        var b = new SamplerContext(model, fine, 4, 0, 1, null);
        a.Begin(4, 9, 100, new double[8]);
        b.Begin(4, 9, 100, new double[8]);
        for (int i = 0; i < 10; i++)
        {
            double h1 = fine.LogSnr(2 * i + 1) - fine.LogSnr(2 * i), h2 = fine.LogSnr(2 * i + 2) - fine.LogSnr(2 * i + 1);
            var zc = a.Noise(i, 0);
            var z1 = b.Noise(2 * i, 0);
            var z2 = b.Noise(2 * i + 1, 0);
            for (int k = 0; k < 8; k++)
                Assert.Equal(zc[k], (z1[k] * Math.Sqrt(h1) + z2[k] * Math.Sqrt(h2)) / Math.Sqrt(h1 + h2), 1e-9);
        }
    }

    [Theory]
    [InlineData("ddpm")]
    [InlineData("sde-dpmpp-2m")]
    [InlineData("em")]
    public void Stochastic_results_depend_on_seed_and_sample_index_not_on_chunking(string name)
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new VpLinearSchedule();
        var grid = SamplingGrid.Create(sch, 12, GridSpacing.LogSnr);
        var start = new double[300 * 2];
        m.Sample(grid.Alpha(0), grid.Sigma(0), 1, 0, start, 300);
        var x1 = (double[])start.Clone();
        var x2 = (double[])start.Clone();
        var s = SamplerCatalog.Make(name);
        s.Sample(m.AsModel(sch), grid, x1, 300, seed: 3, chunkSize: 300);
        s.Sample(m.AsModel(sch), grid, x2, 300, seed: 3, chunkSize: 64);
        Assert.Equal(x1, x2);
        // A shard [100, 300) run alone gives the same rows.
        var x3 = start.AsSpan(200).ToArray();
        s.Sample(m.AsModel(sch), grid, x3, 200, seed: 3, firstSample: 100);
        Assert.Equal(x1.AsSpan(200).ToArray(), x3);
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("dpm-solver-3")]
    [InlineData("dpmpp-2m")]
    [InlineData("dpmpp-3m")]
    [InlineData("unipc")]
    [InlineData("heun")]
    [InlineData("ode-rk4")]
    [InlineData("ddpm")]
    [InlineData("sde-dpmpp-2m")]
    [InlineData("em")]
    [InlineData("pc")]
    [InlineData("edm-churn")]
    public void The_step_into_zero_noise_is_a_finite_denoising_step_with_the_advertised_nfe(string name)
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new EdmSchedule();
        var grid = SamplingGrid.Create(sch, 8, GridSpacing.Karras, denoiseToZero: true);
        var x = new double[64 * 2];
        m.Sample(grid.Alpha(0), grid.Sigma(0), 1, 0, x, 64);
        var s = SamplerCatalog.Make(name);
        int nfe = s.Sample(m.AsModel(sch, Prediction.Noise), grid, x, 64, seed: 1);
        Assert.Equal(s.Evaluations(grid), nfe);
        Assert.True(x.All(double.IsFinite));
    }

    [Theory]
    [InlineData("em", 1.0)]
    [InlineData("ddpm", 1.0)]
    public void Stochastic_samplers_have_weak_order_one_in_the_second_moment(string name, double order)
    {
        // Single Gaussian: E|x|² at the end against the exact value, with shared Brownian paths across grids.
        var m = StandardMixtures.Get("gauss2d");
        var sch = new VpLinearSchedule();
        const int n = 20000;
        double tEnd = 0.05;
        var cov = m.Covariance(sch.Alpha(tEnd), sch.Sigma(tEnd));
        var mean = m.Mean(sch.Alpha(tEnd));
        double exact = cov[0] + cov[3] + mean[0] * mean[0] + mean[1] * mean[1];
        var start = new double[n * 2];
        m.Sample(sch.Alpha(1), sch.Sigma(1), 2, 0, start, n);
        var logN = new List<double>();
        var logE = new List<double>();
        foreach (int steps in new[] { 8, 16, 32 })
        {
            var grid = SamplingGrid.Create(sch, steps, GridSpacing.LogSnr, end: tEnd);
            var x = (double[])start.Clone();
            SamplerCatalog.Make(name).Sample(m.AsModel(sch), grid, x, n, seed: 4);
            double second = 0;
            for (int i = 0; i < x.Length; i++) second += x[i] * x[i];
            second /= n;
            output.WriteLine($"{name} steps={steps}: E|x|² = {second:F5} (exact {exact:F5})");
            logN.Add(Math.Log(steps));
            logE.Add(Math.Log(Math.Abs(second - exact)));
        }
        double slope = (logE[2] - logE[0]) / (logN[2] - logN[0]);
        output.WriteLine($"{name}: weak order {-slope:F2}");
        Assert.InRange(-slope, order - 0.35, order + 0.35);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void Mean_reverting_sampler_recovers_the_mixture_from_its_degraded_mean(int order, bool stochastic)
    {
        var m = StandardMixtures.Get("skewed2d");
        double[] mu = [1.5, -1.0];
        var sch = new MeanRevertingSchedule(stationaryStd: 1.5);
        var model = m.AsModel(sch, Prediction.Noise, mu);
        var grid = SamplingGrid.Create(sch, stochastic ? 80 : 30, GridSpacing.LogSnr);
        const int n = 3000;
        var x = new double[n * 2];
        model.Sample(grid.Time(0), 5, 0, x, n);
        var sampler = new MeanRevertingSampler(mu, order, stochastic);
        sampler.Sample(model, grid, x, n, seed: 2);
        var exact = new double[n * 2];
        var exact2 = new double[n * 2];
        model.Sample(grid.Time(grid.Steps), 6, 0, exact, n);
        model.Sample(grid.Time(grid.Steps), 7, 0, exact2, n);
        double sw = Drift.Generative.Metrics.SampleMetrics.SlicedWasserstein2(x, exact, n, 2, 64);
        double floor = Drift.Generative.Metrics.SampleMetrics.SlicedWasserstein2(exact2, exact, n, 2, 64);
        output.WriteLine($"mrs order {order} sde={stochastic}: SW2 {sw:F4}, floor {floor:F4}");
        Assert.True(sw < 1.6 * floor);
    }
}
