using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class MixtureSamplingTests(ITestOutputHelper output)
{
    private const int N = 3000;

    /// <summary>Runs a sampler from exact p_T samples and compares with exact p_ε samples: sliced W₂ against the
    /// floor of two exact sets, mode masses and means within 5 standard errors.</summary>
    private void Check(string mixtureName, string samplerName, int steps, GridSpacing spacing, double floorFactor = 1.6)
    {
        var m = StandardMixtures.Get(mixtureName);
        var sch = new VpLinearSchedule();
        var model = m.AsModel(sch);
        int d = m.Dimension;
        var grid = SamplingGrid.Create(sch, steps, spacing);
        double aT = grid.Alpha(0), sT = grid.Sigma(0), aE = grid.Alpha(steps), sE = grid.Sigma(steps);
        var x = new double[N * d];
        m.Sample(aT, sT, 11, 0, x, N);
        var sampler = SamplerCatalog.Make(samplerName);
        sampler.Sample(model, grid, x, N, seed: 7);
        Assert.True(x.All(double.IsFinite));
        var exact1 = new double[N * d];
        var exact2 = new double[N * d];
        m.Sample(aE, sE, 101, 0, exact1, N);
        var floors = new double[3];
        for (int r = 0; r < 3; r++)
        {
            m.Sample(aE, sE, 200 + (ulong)r, 0, exact2, N);
            floors[r] = SampleMetrics.SlicedWasserstein2(exact1, exact2, N, d, 64);
        }
        double sw = SampleMetrics.SlicedWasserstein2(x, exact1, N, d, 64);
        var masses = SampleMetrics.ModeMasses(m, aE, sE, x, N);
        output.WriteLine($"{samplerName} {mixtureName} steps={steps}: SW2={sw:F4} floor={floors.Max():F4}; masses {string.Join(" ", masses.Select(v => v.ToString("F3")))}");
        Assert.True(sw <= floorFactor * floors.Max(), $"sliced W2 {sw} above {floorFactor}× the floor {floors.Max()}");
        for (int k = 0; k < m.ComponentCount; k++)
        {
            double p = m.Weights[k], se = Math.Sqrt(p * (1 - p) / N);
            Assert.InRange(masses[k], p - 5 * se, p + 5 * se);
        }
        var mom = SampleMetrics.CoordinateMoments(x, N, d);
        var mean = m.Mean(aE);
        for (int j = 0; j < d; j++)
            Assert.InRange(mom[j].Mean - mean[j], -5 * mom[j].StandardError, 5 * mom[j].StandardError);
    }

    public static TheoryData<string, int> Deterministic => new()
    {
        { "ddim", 50 }, { "dpm-solver-2", 20 }, { "dpm-solver-3", 15 }, { "dpmpp-2s", 20 }, { "dpmpp-2m", 20 },
        { "dpmpp-3m", 20 }, { "unipc", 20 }, { "heun", 20 }, { "ode-rk4", 12 }, { "ode-tsit5", 10 }, { "ode-dopri5", 10 },
    };

    public static TheoryData<string, int> Stochastic => new()
    {
        { "em", 400 }, { "pc", 200 }, { "pc-em", 200 }, { "ddpm", 200 }, { "ddim-eta0.5", 100 }, { "sde-dpmpp-2m", 60 }, { "edm-churn", 60 },
    };

    [Theory]
    [MemberData(nameof(Deterministic))]
    public void Ode_samplers_reproduce_the_2d_mixtures(string sampler, int steps)
    {
        Check("ring8", sampler, steps, GridSpacing.LogSnr);
        Check("skewed2d", sampler, steps, GridSpacing.TimeQuadratic);
    }

    [Theory]
    [MemberData(nameof(Stochastic))]
    public void Sde_samplers_reproduce_the_2d_mixtures(string sampler, int steps)
    {
        Check("ring8", sampler, steps, GridSpacing.LogSnr);
        Check("skewed2d", sampler, steps, GridSpacing.TimeQuadratic);
    }

    [Theory]
    [InlineData("dpmpp-2m", 25)]
    [InlineData("unipc", 25)]
    [InlineData("sde-dpmpp-2m", 80)]
    [InlineData("ddpm", 200)]
    public void Samplers_reproduce_the_16d_mixture(string sampler, int steps) => Check("mix16", sampler, steps, GridSpacing.LogSnr);
}
