using Drift.Generative.Grids;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Drift.Solve.Adaptive;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class AdaptiveFlowSamplerTests(ITestOutputHelper output)
{
    private const int Samples = 32;

    /// <summary>RMS end-point error against the closed-form single-Gaussian flow, and the mean NFE.</summary>
    private (double Error, int Nfe, AdaptiveFlowStatistics Stats) Run(DiffusionSampler sampler, NoiseSchedule schedule, bool denoise = false)
    {
        var model = GaussianFlow.Target.AsModel(schedule);
        var grid = SamplingGrid.Create(schedule, 10, GridSpacing.LogSnr);
        double t0 = grid.Time(0), t1 = grid.Time(grid.Steps);
        var x = new double[Samples * 2];
        GaussianFlow.Target.Sample(schedule.Alpha(t0), schedule.Sigma(t0), 5, 0, x, Samples);
        var exact = GaussianFlow.Exact(schedule, t0, t1, x, Samples);
        int nfe = sampler.Sample(model, grid, x, Samples, chunkSize: 7);
        double err = 0;
        for (int i = 0; i < x.Length; i++) err += (x[i] - exact[i]) * (x[i] - exact[i]);
        var stats = sampler switch
        {
            AdaptiveProbabilityFlowSampler<Tsitouras5> a => a.LastRun!,
            AdaptiveProbabilityFlowSampler<DormandPrince5> b => b.LastRun!,
            _ => throw new ArgumentException("not adaptive", nameof(sampler)),
        };
        return (Math.Sqrt(err / Samples), nfe, stats);
    }

    [Theory]
    [InlineData("tsit5", "vp")]
    [InlineData("dopri5", "vp")]
    [InlineData("tsit5", "edm")]
    [InlineData("dopri5", "subvp")]
    public void Error_against_the_closed_form_flow_falls_with_the_tolerance_while_nfe_grows(string method, string schedule)
    {
        NoiseSchedule sch = schedule switch { "vp" => new VpLinearSchedule(), "edm" => new EdmSchedule(), _ => new SubVpSchedule() };
        double previous = double.PositiveInfinity;
        int previousNfe = 0;
        foreach (double tol in new[] { 1e-3, 1e-5, 1e-7, 1e-9 })
        {
            DiffusionSampler sampler = method == "tsit5"
                ? new AdaptiveProbabilityFlowSampler<Tsitouras5>(tol, tol)
                : new AdaptiveProbabilityFlowSampler<DormandPrince5>(tol, tol);
            var (err, nfe, stats) = Run(sampler, sch);
            output.WriteLine($"{sampler.Name} {sch.Name} tol={tol:E0}: err={err:E3} nfe={nfe} (max {stats.MaxEvaluations}, rejected {stats.RejectedSteps})");
            Assert.Equal(0, stats.FailedSamples);
            Assert.Equal(Samples, stats.Samples);
            Assert.Equal((int)Math.Ceiling(stats.MeanEvaluations), nfe);
            Assert.Equal(nfe, sampler.Evaluations(SamplingGrid.Create(sch, 3, GridSpacing.LogSnr)));
            // Global error within a modest multiple of the tolerance (the state is O(1)) and falling with it.
            Assert.True(err < 200 * tol, $"error {err} at tolerance {tol}");
            Assert.True(err < previous, $"error {err} did not fall below {previous}");
            Assert.True(nfe > previousNfe);
            previous = err;
            previousNfe = nfe;
        }
    }

    [Fact]
    public void A_final_step_to_zero_noise_adds_one_denoising_evaluation()
    {
        var sch = new VpLinearSchedule();
        var model = GaussianFlow.Target.AsModel(sch);
        var grid = SamplingGrid.Create(sch, 10, GridSpacing.UniformTime, denoiseToZero: true);
        var x = new double[Samples * 2];
        GaussianFlow.Target.Sample(grid.Alpha(0), grid.Sigma(0), 5, 0, x, Samples);
        var exact = GaussianFlow.Exact(sch, grid.Time(0), grid.Time(grid.Steps - 1), x, Samples);
        var sampler = new AdaptiveProbabilityFlowSampler<Tsitouras5>(1e-8, 1e-8);
        sampler.Sample(model, grid, x, Samples);
        // x ← α_N x̂₀(x_{N−1}) with α_N = 1: compare with the oracle's denoiser at the exact x_{N−1}.
        var denoised = new double[Samples * 2];
        GaussianFlow.Target.Denoise(grid.Alpha(grid.Steps - 1), grid.Sigma(grid.Steps - 1), exact, denoised, Samples);
        for (int i = 0; i < x.Length; i++) Assert.Equal(denoised[i], x[i], 1e-5);
        Assert.Equal(0, sampler.LastRun!.FailedSamples);
    }

    [Fact]
    public void Results_do_not_depend_on_the_chunk_size()
    {
        var sch = new VpLinearSchedule();
        var model = GaussianFlow.Target.AsModel(sch);
        var grid = SamplingGrid.Create(sch, 5, GridSpacing.LogSnr);
        var a = new double[20 * 2];
        GaussianFlow.Target.Sample(grid.Alpha(0), grid.Sigma(0), 3, 0, a, 20);
        var b = (double[])a.Clone();
        var sampler = new AdaptiveProbabilityFlowSampler<Tsitouras5>(1e-4, 1e-4);
        int n1 = sampler.Sample(model, grid, a, 20, chunkSize: 1);
        int n2 = sampler.Sample(model, grid, b, 20, chunkSize: 20);
        Assert.Equal(a, b);
        Assert.Equal(n1, n2);
    }
}
