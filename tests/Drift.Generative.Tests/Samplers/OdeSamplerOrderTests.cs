using Drift.Generative.Grids;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Drift.Solve.Ode;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class OdeSamplerOrderTests(ITestOutputHelper output)
{
    private const int Samples = 32;

    /// <summary>Global error at the end against the closed-form flow, for several step counts; returns the fitted order in NFE.</summary>
    private double MeasureOrder(DiffusionSampler sampler, NoiseSchedule schedule, GridSpacing spacing, int[] steps)
    {
        var model = GaussianFlow.Target.AsModel(schedule);
        double t0 = schedule.DefaultStartTime, t1 = schedule.DefaultEndTime;
        var start = new double[Samples * 2];
        GaussianFlow.Target.Sample(schedule.Alpha(t0), schedule.Sigma(t0), 5, 0, start, Samples);
        var exact = GaussianFlow.Exact(schedule, t0, t1, start, Samples);
        var logN = new List<double>();
        var logE = new List<double>();
        foreach (int n in steps)
        {
            var grid = SamplingGrid.Create(schedule, n, spacing);
            var x = (double[])start.Clone();
            int nfe = sampler.Sample(model, grid, x, Samples);
            Assert.Equal(sampler.Evaluations(grid), nfe);
            double err = 0;
            for (int i = 0; i < x.Length; i++) err += (x[i] - exact[i]) * (x[i] - exact[i]);
            err = Math.Sqrt(err / Samples);
            output.WriteLine($"{sampler.Name} {schedule.Name} steps={n} nfe={nfe} err={err:E3}");
            logN.Add(Math.Log(nfe));
            logE.Add(Math.Log(err));
        }
        double mx = logN.Average(), my = logE.Average();
        double slope = logN.Zip(logE).Sum(p => (p.First - mx) * (p.Second - my)) / logN.Sum(v => (v - mx) * (v - mx));
        output.WriteLine($"{sampler.Name}: order {-slope:F3}");
        return -slope;
    }

    public static TheoryData<string, double> Cases => new()
    {
        { "ddim", 1 },
        { "dpm-solver-2", 2 },
        { "dpmpp-2s", 2 },
        { "dpmpp-2m", 2 },
        { "heun", 2 },
        { "dpm-solver-3", 3 },
        { "dpmpp-3m", 3 },
        { "unipc", 3 },
    };

    internal static DiffusionSampler Make(string name) => name switch
    {
        "ddim" => new DdimSampler(),
        "dpm-solver-2" => new DpmSolverSampler(2),
        "dpm-solver-3" => new DpmSolverSampler(3),
        "dpmpp-2s" => new DpmSolverPlusPlus2SSampler(),
        "dpmpp-2m" => new DpmSolverPlusPlusMultistepSampler(2),
        "dpmpp-3m" => new DpmSolverPlusPlusMultistepSampler(3),
        "dpmpp-3m-ref" => new DpmSolverPlusPlusMultistepSampler(3, referenceThirdOrderCoefficient: true),
        "heun" => new EdmHeunSampler(),
        "unipc" => new UniPcSampler(2),
        "ode-rk4" => new ProbabilityFlowSampler<RungeKutta4>(),
        "ode-tsit5" => new AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.Tsitouras5>(1e-4, 1e-4),
        "ode-dopri5" => new AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.DormandPrince5>(1e-4, 1e-4),
        _ => throw new ArgumentException(name),
    };

    /// <summary>VP (linear β) on a time-quadratic grid, NFE 96 → 384: the asymptotic regime for every sampler.
    /// (On a logSNR-uniform grid 3M super-converges at order 4, and on EDM/Karras DPM-Solver-3 at ≈4.7.)</summary>
    private double OrderOn(DiffusionSampler sampler)
    {
        var sch = new VpLinearSchedule();
        int per = Math.Max(1, sampler.Evaluations(SamplingGrid.Create(sch, 20, GridSpacing.TimeQuadratic)) / 20);
        return MeasureOrder(sampler, sch, GridSpacing.TimeQuadratic, [96 / per, 192 / per, 384 / per]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Probability_flow_samplers_converge_at_their_theoretical_order_on_a_single_gaussian(string name, double order)
        => Assert.InRange(OrderOn(Make(name)), order - 0.2, order + 0.2);

    [Fact]
    public void Reference_third_order_coefficient_leaves_dpmpp_3m_second_order()
        => Assert.InRange(OrderOn(Make("dpmpp-3m-ref")), 1.3, 2.4);

    [Fact]
    public void Engine_rk4_integrates_the_probability_flow_at_fourth_order()
        => Assert.InRange(OrderOn(Make("ode-rk4")), 3.7, 4.3);
}
