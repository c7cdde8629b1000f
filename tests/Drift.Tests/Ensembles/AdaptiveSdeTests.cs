using Drift.Brownian;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;
using Drift.Tests.Solve;

namespace Drift.Tests.Ensembles;

/// <summary>
/// GBM dX = μX dt + σX dW together with Y = W (dY = dW): scalar noise, d = 2. Declared time-independent only when asked,
/// so that the adaptive solve takes the SIMD lanes; otherwise the per-path loop over Brownian trees.
/// </summary>
internal readonly struct GbmWithWitness(double mu, double sigma, bool timeIndependent = false) : IDrift, IDiffusion
{
    public int Dimension => 2;
    public bool TimeIndependent => timeIndependent;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Scalar;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            dx[p] = mu * x[p];
            dx[paths + p] = 0;
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            g[p] = sigma * x[p];
            g[paths + p] = 1;
        }
    }
}

public class AdaptiveSdeTests
{
    private const double Mu = 1.0, Sigma = 1.5;
    private static readonly GbmWithWitness Model = new(Mu, Sigma);
    private static SdeProblem<GbmWithWitness, GbmWithWitness> Problem => new(Model, Model, [1.0, 0.0], 0, 1);

    private static Solution Solve(double rtol, long paths = 4000, int threads = 0, int record = 0) =>
        DiffEq.Solve(Problem, new Sriw1(), new SolveOptions
        {
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol }, Paths = paths, Seed = 12, KeepPaths = true, Threads = threads, RecordStepsOfPaths = record,
        });

    private static double StrongError(Solution s)
    {
        var x = s.Ensemble.PathsAt(0, 0);
        var w = s.Ensemble.PathsAt(0, 1);
        double sum = 0;
        for (int p = 0; p < x.Length; p++) sum += Math.Abs(x[p] - Math.Exp(Mu - 0.5 * Sigma * Sigma + Sigma * w[p]));
        return sum / x.Length;
    }

    [Fact]
    public void Adaptive_steps_leave_the_Brownian_endpoint_standard_normal()
    {
        var s = Solve(1e-2);
        Assert.Equal(SolveStatus.Success, s.Ensemble.Status);
        Assert.True(s.Statistics.RejectedSteps > 0, "the test needs rejections to mean anything");
        Assert.True(s.Statistics.LargestStep > 4 * s.Statistics.SmallestStep, "step sizes should adapt to each path");
        var w = s.Ensemble.PathsAt(0, 1).ToArray();
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(w, StatisticalTests.NormalCdf) > 1e-3);
        // Y(T) is the tree's W(0, T) for each path exactly (SRIW1 integrates dY = dW without error).
        var tree = new BrownianTree(12, 0, 1, 0, 1);
        Span<double> dw = stackalloc double[1];
        for (int p = 0; p < 50; p++)
        {
            tree.Reset(p);
            tree.Increment(0, 1, dw, default);
            Assert.Equal(dw[0], w[p], 1e-12);
        }
    }

    [Fact]
    public void Strong_error_falls_as_the_tolerance_tightens()
    {
        var errors = new List<double>();
        var steps = new List<long>();
        foreach (double rtol in new[] { 1e-1, 1e-2, 1e-3, 1e-4 })
        {
            var s = Solve(rtol, paths: 1000);
            errors.Add(StrongError(s));
            steps.Add(s.Statistics.AcceptedSteps);
        }
        for (int i = 1; i < errors.Count; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"error {errors[i]} at tolerance {i} is not below {errors[i - 1]}");
            Assert.True(steps[i] > steps[i - 1]);
        }
        Assert.True(errors[^1] < 0.05 * errors[0]);
    }

    [Fact]
    public void Adaptive_and_fixed_step_solutions_converge_to_the_same_limit()
    {
        // A nonlinear SDE without closed form, on one Brownian path per sample shared by both solvers.
        var model = new ScalarSde((_, x) => 1 - x * x * x, (_, x) => 0.6 * Math.Sqrt(1 + x * x));
        var problem = new SdeProblem<ScalarSde, ScalarSde>(model, model, [0.2], 0, 2);
        const int paths = 200;
        var fixedStep = DiffEq.Solve(problem, new Sriw1(), new TreeBrownianIncrements(5, 0, 2),
            new SolveOptions { Controller = ConstantStep.WithSteps(2048), Paths = paths, KeepPaths = true }).PathsAt(0, 0).ToArray();
        double Distance(double rtol)
        {
            var adaptive = DiffEq.Solve(problem, new Sriw1(), new SolveOptions { Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol }, Paths = paths, Seed = 5, KeepPaths = true });
            return adaptive.Ensemble.PathsAt(0, 0).ToArray().Zip(fixedStep, (a, b) => Math.Abs(a - b)).Average();
        }
        double loose = Distance(1e-2), tight = Distance(1e-4);
        Assert.True(tight < 5e-4, $"adaptive (rtol 1e-4) and fixed-step solutions differ by {tight:E2} on average");
        Assert.True(tight < loose / 10);
    }

    [Fact]
    public void Additive_noise_adaptive_SRA1_matches_the_Ornstein_Uhlenbeck_law()
    {
        var ou = new Drift.Models.OrnsteinUhlenbeck(3.0, 1.0, 0.7);
        var problem = new SdeProblem<Drift.Models.OrnsteinUhlenbeck, Drift.Models.OrnsteinUhlenbeck>(ou, ou, [4.0], 0, 1);
        var s = DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-3 }, Paths = 20_000, Seed = 2, Save = SaveAt.Times(0.25, 1.0) });
        foreach (var (save, t) in new[] { (0, 0.25), (1, 1.0) })
        {
            var m = s.Ensemble.Moments(save, 0);
            Assert.True(Math.Abs(m.Mean - ou.Mean(4, t)) < 4.5 * m.StandardError, $"t = {t}: mean {m.Mean} vs {ou.Mean(4, t)}");
            Assert.True(Math.Abs(m.Variance - ou.Variance(t)) < 4.5 * ou.Variance(t) * Math.Sqrt(2.0 / m.Count), $"t = {t}: variance {m.Variance} vs {ou.Variance(t)}");
        }
        Assert.Equal(new[] { 0.25, 1.0 }, s.Ensemble.Times);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_and_steps_are_recorded()
    {
        var one = Solve(1e-2, paths: 600, threads: 1, record: 3);
        var two = Solve(1e-2, paths: 600, threads: 2, record: 3);
        Assert.True(one.Ensemble.PathsAt(0, 0).SequenceEqual(two.Ensemble.PathsAt(0, 0)));
        Assert.Equal(one.Statistics, two.Statistics);
        Assert.Equal(one.Steps, two.Steps);
        foreach (long path in new long[] { 0, 1, 2 })
        {
            var steps = one.Steps.Where(r => r.Path == path).Select(r => r.Step).ToList();
            Assert.NotEmpty(steps);
            Assert.All(steps.Where(r => r.Accepted), r => Assert.True(r.ErrorNorm <= 1));
            Assert.All(steps.Where(r => !r.Accepted), r => Assert.True(r.ErrorNorm > 1));
            Assert.Equal(1.0, steps.Where(r => r.Accepted).Sum(r => r.Size), 1e-12);
            // Accepted steps tile [0, 1] in order.
            var accepted = steps.Where(r => r.Accepted).ToList();
            for (int i = 1; i < accepted.Count; i++) Assert.Equal(accepted[i - 1].Time + accepted[i - 1].Size, accepted[i].Time, 1e-12);
        }
        Assert.DoesNotContain(one.Steps, r => r.Path >= 3);
    }

    [Fact]
    public void Paths_that_blow_up_are_reported_not_hidden()
    {
        var blowUp = new ScalarSde((_, x) => x * x, (_, _) => 0.1, NoiseKind.Additive);
        var problem = new SdeProblem<ScalarSde, ScalarSde>(blowUp, blowUp, [2.0], 0, 1);
        var s = DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = PidController.StochasticDefault, Paths = 20, Seed = 1 });
        Assert.Equal(SolveStatus.Diverged, s.Ensemble.Status);
        Assert.Equal(20, s.Ensemble.DivergedPaths);
        Assert.All(s.Ensemble.Divergences, d => Assert.InRange(d.Time, 0.3, 0.7));
        Assert.Contains("path 0", s.Ensemble.Divergences[0].ToString());
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sriw1(), new SolveOptions { Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = -1 } }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sriw1(), new SolveOptions { Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 0, AbsoluteTolerance = 0 } }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sriw1(), new SolveOptions { Controller = AdaptiveSdeOptions.DefaultController with { MaxFactor = 0.5 } }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sriw1(), new SolveOptions { Controller = PidController.StochasticDefault, Save = SaveAt.EveryStep(2) }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sriw1(), new SolveOptions { Controller = PidController.StochasticDefault, Save = SaveAt.Times(3.0) }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(Problem, new Sra1(), new SolveOptions { Controller = PidController.StochasticDefault }));
    }
}
