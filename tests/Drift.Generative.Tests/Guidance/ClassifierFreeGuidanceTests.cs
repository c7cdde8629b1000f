using Drift.Generative.Grids;
using Drift.Generative.Guidance;
using Drift.Generative.Metrics;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Guidance;

public class ClassifierFreeGuidanceTests(ITestOutputHelper output)
{
    private const int N = 3000;

    private static double[] Sample(ClassifierFreeGuidanceModel model, GaussianMixture start, int steps, out SamplingGrid grid)
    {
        grid = SamplingGrid.Create(model.Schedule, steps, GridSpacing.LogSnr);
        var x = new double[N * model.Dimension];
        start.Sample(grid.Alpha(0), grid.Sigma(0), 11, 0, x, N);
        new DpmSolverPlusPlusMultistepSampler(2).Sample(model, grid, x, N);
        return x;
    }

    [Theory]
    [InlineData(Prediction.Data)]
    [InlineData(Prediction.Noise)]
    [InlineData(Prediction.Velocity)]
    public void Zero_guidance_is_the_conditional_model_exactly(Prediction prediction)
    {
        var m = StandardMixtures.Get("ring8");
        var sch = new VpLinearSchedule();
        var guided = ClassifierFreeGuidanceModel.ForClass(m, [0, 1], sch, 0, prediction);
        var conditional = m.Select([0, 1]).AsModel(sch, prediction);
        double[] x = [0.3, -1.2, 2.5, 2.5, -3, 0.1];
        var a = new double[6];
        var b = new double[6];
        guided.Evaluate(0.3, x, a, 3);
        conditional.Evaluate(0.3, x, b, 3);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Zero_guidance_samples_the_class_conditional_of_the_labelled_mixture()
    {
        var m = StandardMixtures.Get("ring8");
        var sch = new VpLinearSchedule();
        var cls = m.Select([0, 1]);
        var x = Sample(ClassifierFreeGuidanceModel.ForClass(m, [0, 1], sch, 0), cls, 20, out var grid);
        var (sw, floor) = GuidanceCheck.SlicedW2(cls, grid.Alpha(20), grid.Sigma(20), x, N);
        var masses = SampleMetrics.ModeMasses(cls, grid.Alpha(20), grid.Sigma(20), x, N);
        output.WriteLine($"w=0: SW2 {sw:F4} floor {floor:F4}, masses {masses[0]:F3} {masses[1]:F3}");
        Assert.True(sw < 1.6 * floor);
        Assert.InRange(masses[0], 0.5 - 5 * Math.Sqrt(0.25 / N), 0.5 + 5 * Math.Sqrt(0.25 / N));
        GuidanceCheck.MeansWithin(cls, grid.Alpha(20), x, N);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Guidance_between_equal_covariance_gaussians_samples_the_tilted_gaussian(double w)
    {
        // p_c^{1+w} p_u^{-w} with a shared Σ is N(μ_c + w(μ_c − μ_u), Σ) and so is every noised guided score.
        double[] cov = [0.4, 0.25, 0.25, 0.2];
        var conditional = new GaussianMixture([1.0], [[1.0, -0.5]], [cov]);
        var unconditional = new GaussianMixture([1.0], [[0.5, 0.0]], [cov]);
        var tilted = new GaussianMixture([1.0], [[1.0 + w * 0.5, -0.5 - w * 0.5]], [cov]);
        var sch = new VpLinearSchedule();
        var guided = new ClassifierFreeGuidanceModel(conditional.AsModel(sch), unconditional.AsModel(sch, Prediction.Noise), w);
        var x = Sample(guided, tilted, 20, out var grid);
        var (sw, floor) = GuidanceCheck.SlicedW2(tilted, grid.Alpha(20), grid.Sigma(20), x, N);
        output.WriteLine($"w={w}: SW2 {sw:F4} floor {floor:F4}");
        Assert.True(sw < 1.6 * floor);
        GuidanceCheck.MeansWithin(tilted, grid.Alpha(20), x, N);
    }

    [Fact]
    public void Guidance_on_the_labelled_ring_pushes_mass_away_from_the_other_classes()
    {
        // Documented CFG behaviour: the guided score adds w(∇log p(x|c) − ∇log p(x)) = w∇log p(c|x), so mass moves
        // away from the other classes: here both class modes move outwards, off the ring (mean radius grows with w).
        var m = StandardMixtures.Get("ring8");
        var sch = new VpLinearSchedule();
        var cls = m.Select([0, 1]);
        double previousRadius = 0;
        foreach (double w in new[] { 0.0, 1.0, 4.0 })
        {
            var x = Sample(ClassifierFreeGuidanceModel.ForClass(m, [0, 1], sch, w), cls, 20, out var grid);
            var masses = SampleMetrics.ModeMasses(m, grid.Alpha(20), grid.Sigma(20), x, N);
            double inClass = masses[0] + masses[1];
            var mom = SampleMetrics.CoordinateMoments(x, N, 2);
            output.WriteLine($"w={w}: class mass {inClass:F3}, masses {string.Join(" ", masses.Select(v => v.ToString("F3")))}, mean ({mom[0].Mean:F3}, {mom[1].Mean:F3})");
            Assert.True(inClass > 0.99);
            double radius = Math.Sqrt(mom[0].Mean * mom[0].Mean + mom[1].Mean * mom[1].Mean);
            Assert.True(radius > previousRadius + 0.1, $"mean radius {radius} at w = {w}");
            previousRadius = radius;
        }
    }
}
