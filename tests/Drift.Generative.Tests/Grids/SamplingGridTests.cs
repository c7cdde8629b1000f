using Drift.Generative.Grids;
using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Grids;

public class SamplingGridTests
{
    [Theory]
    [InlineData(GridSpacing.UniformTime)]
    [InlineData(GridSpacing.LogSnr)]
    [InlineData(GridSpacing.TimeQuadratic)]
    [InlineData(GridSpacing.Karras)]
    public void Every_spacing_is_strictly_monotone_and_hits_both_ends(GridSpacing spacing)
    {
        foreach (var s in new NoiseSchedule[] { new VpLinearSchedule(), new EdmSchedule(), new VeSchedule(), new RectifiedFlowSchedule() })
        {
            var g = SamplingGrid.Create(s, 12, spacing);
            Assert.Equal(12, g.Steps);
            Assert.Equal(s.DefaultStartTime, g.Time(0));
            Assert.Equal(s.DefaultEndTime, g.Time(12));
            for (int i = 1; i <= 12; i++) Assert.True(g.Time(i) < g.Time(i - 1) && g.LogSnr(i) > g.LogSnr(i - 1));
        }
    }

    [Fact]
    public void Log_snr_grid_is_uniform_in_lambda_and_karras_grid_follows_rho()
    {
        var s = new VpLinearSchedule();
        var g = SamplingGrid.Create(s, 10, GridSpacing.LogSnr);
        for (int i = 1; i <= 10; i++) Assert.Equal(g.LogSnr(1) - g.LogSnr(0), g.LogSnr(i) - g.LogSnr(i - 1), 1e-9);
        var e = new EdmSchedule();
        var k = SamplingGrid.Create(e, 4, GridSpacing.Karras);
        double a = Math.Pow(80, 1 / 7.0), b = Math.Pow(0.002, 1 / 7.0);
        for (int i = 0; i <= 4; i++) Assert.Equal(Math.Pow(a + i / 4.0 * (b - a), 7), k.Time(i), 1e-9);
    }

    [Fact]
    public void Final_denoising_step_reaches_zero_noise_without_taking_log_zero()
    {
        var g = SamplingGrid.Create(new EdmSchedule(), 5, GridSpacing.Karras, denoiseToZero: true);
        Assert.Equal(5, g.Steps);
        Assert.Equal(0, g.Time(5));
        Assert.True(g.EndsAtZeroNoise);
        Assert.Equal(double.PositiveInfinity, g.LogSnr(5));
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(double.IsFinite(g.LogSnr(i))));
        Assert.Throws<ArgumentException>(() => SamplingGrid.Create(new VeSchedule(), 5, GridSpacing.LogSnr, denoiseToZero: true));
    }

    [Fact]
    public void Duplicates_disorder_and_interior_zero_noise_are_rejected()
    {
        var s = new VpLinearSchedule();
        Assert.Throws<ArgumentException>(() => new SamplingGrid(s, [1.0, 0.5, 0.5, 0.1]));
        Assert.Throws<ArgumentException>(() => new SamplingGrid(s, [0.5, 1.0]));
        Assert.Throws<ArgumentException>(() => new SamplingGrid(s, [1.0, 0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => new SamplingGrid(s, [1.5, 0.1]));
        Assert.Throws<ArgumentException>(() => SamplingGrid.Create(s, 10, GridSpacing.LogSnr, end: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingGrid.Create(s, 0, GridSpacing.LogSnr));
    }
}
