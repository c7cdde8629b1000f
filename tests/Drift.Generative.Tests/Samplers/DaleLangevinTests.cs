using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class DaleLangevinTests(ITestOutputHelper output)
{
    // σ_max = 5 (β_T = 25) keeps exp(−β/2 ± 6√β) inside double range; the sampler starts from exact GBM samples at t = 1.
    private static readonly VeSchedule Schedule = new(0.01, 5);

    private static LogNormalMixture TwoModes { get; } = new(new GaussianMixture([0.7, 0.3],
        [[0.0, 0.5], [1.5, -1.0]], [[0.05, 0.02, 0.02, 0.08], [0.1, 0.0, 0.0, 0.04]]));

    [Fact]
    public void Samples_match_the_log_normal_mixture_in_mode_masses_means_and_sliced_w2()
    {
        var m = TwoModes;
        const int n = 2000, steps = 200;
        var grid = SamplingGrid.Create(Schedule, steps, GridSpacing.LogSnr);
        double betaT = grid.Sigma(0) * grid.Sigma(0), betaE = grid.Sigma(steps) * grid.Sigma(steps);
        var x = new double[n * 2];
        m.Sample(betaT, 11, 0, x, n);
        int nfe = new DaleLangevinSampler().Sample(m.AsLogSpaceModel(Schedule), grid, x, n, seed: 7);
        Assert.Equal(steps, nfe);
        Assert.True(x.All(v => v > 0 && double.IsFinite(v)));
        // Mode masses on log X + β/2, classified by the exact posterior of the log mixture at σ = √β_end.
        var logs = x.Select(v => Math.Log(v) + 0.5 * betaE).ToArray();
        var masses = SampleMetrics.ModeMasses(m.LogMixture, 1, grid.Sigma(steps), logs, n);
        var exact = new double[n * 2];
        var other = new double[n * 2];
        m.Sample(betaE, 101, 0, exact, n);
        m.Sample(betaE, 202, 0, other, n);
        double Sw(double[] a, double[] b) => SampleMetrics.SlicedWasserstein2(a.Select(v => Math.Log(v)).ToArray(), b.Select(v => Math.Log(v)).ToArray(), n, 2, 64);
        double floor = Sw(exact, other), sw = Sw(x, exact);
        var mom = SampleMetrics.CoordinateMoments(x, n, 2);
        var mean = m.Mean();
        output.WriteLine($"masses {masses[0]:F3} {masses[1]:F3}; SW2(log) {sw:F4} floor {floor:F4}; mean {mom[0].Mean:F4} {mom[1].Mean:F4} exact {mean[0]:F4} {mean[1]:F4}");
        for (int k = 0; k < 2; k++)
        {
            double p = m.LogMixture.Weights[k], se = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange(masses[k], p - 5 * se, p + 5 * se);
        }
        for (int j = 0; j < 2; j++) Assert.InRange(mom[j].Mean - mean[j], -5 * mom[j].StandardError, 5 * mom[j].StandardError);
        Assert.True(sw <= 1.6 * floor, $"sliced W2 {sw} above 1.6× the floor {floor}");
    }

    [Fact]
    public void Multiplicative_update_is_first_order_on_a_single_log_normal()
    {
        // Single log-normal: in Ỹ = log X + β/2 the sampler is Euler–Maruyama with additive noise, so on nested logSNR
        // grids (one Brownian path per sample) the pathwise error against a 1024-step run falls at order 1.
        var m = new LogNormalMixture(GaussianFlow.Target);
        const int n = 200;
        var start = new double[n * 2];
        m.Sample(Schedule.Sigma(1) * Schedule.Sigma(1), 3, 0, start, n);
        double[] Run(int steps)
        {
            var x = (double[])start.Clone();
            new DaleLangevinSampler().Sample(m.AsLogSpaceModel(Schedule), SamplingGrid.Create(Schedule, steps, GridSpacing.LogSnr), x, n, seed: 4);
            return x;
        }
        var reference = Run(1024);
        var hs = new List<double>();
        var errors = new List<double>();
        foreach (int steps in new[] { 16, 32, 64 })
        {
            var x = Run(steps);
            double err = Math.Sqrt(x.Zip(reference).Sum(p => Math.Pow(Math.Log(p.First) - Math.Log(p.Second), 2)) / n);
            hs.Add(steps);
            errors.Add(err);
            output.WriteLine($"steps={steps} rms log error={err:E3}");
        }
        double mx = hs.Average(Math.Log), my = errors.Average(Math.Log);
        double slope = hs.Zip(errors).Sum(p => (Math.Log(p.First) - mx) * (Math.Log(p.Second) - my)) / hs.Sum(v => (Math.Log(v) - mx) * (Math.Log(v) - mx));
        output.WriteLine($"order {-slope:F3}");
        Assert.InRange(-slope, 0.75, 1.3);
    }

    [Fact]
    public void Hyvarinen_score_is_x_times_the_ambient_score()
    {
        // Finite differences of log p_X(x) = log q(log x + β/2 − β/2 shift) − Σ log x, with q the density of log X_t.
        var m = TwoModes;
        const double beta = 0.3;
        double[] x = [1.3, 0.8];
        var h = new double[2];
        m.HyvarinenScore(beta, x, h, 1);
        double LogP(double[] p) => m.LogMixture.LogDensity(1, Math.Sqrt(beta), p.Select(v => Math.Log(v) + 0.5 * beta).ToArray()) - p.Sum(Math.Log);
        for (int j = 0; j < 2; j++)
        {
            var up = (double[])x.Clone();
            var down = (double[])x.Clone();
            up[j] += 1e-5;
            down[j] -= 1e-5;
            double fd = x[j] * (LogP(up) - LogP(down)) / 2e-5;
            Assert.Equal(fd, h[j], 1e-6);
        }
    }

    [Fact]
    public void Non_positive_data_and_vp_schedules_are_rejected()
    {
        var model = TwoModes.AsLogSpaceModel(Schedule);
        var grid = SamplingGrid.Create(Schedule, 4, GridSpacing.LogSnr);
        Assert.Throws<ArgumentException>(() => new DaleLangevinSampler().Sample(model, grid, new double[] { 1, -1 }, 1));
        Assert.Throws<ArgumentException>(() => TwoModes.AsLogSpaceModel(new VpLinearSchedule()));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoModes.Sample(-1, 0, 0, new double[2], 1));
    }
}
