using Drift.Ensembles;
using Drift.Langevin;
using Drift.Models;
using Drift.Models.Finance;
using Drift.Potentials;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Ode;
using Drift.Solve.Sde;
using Drift.Tests.Ensembles;
using Drift.Tests.Solve.Adaptive;

namespace Drift.Tests.Solve;

/// <summary>
/// The one entry point <see cref="DiffEq"/>: it gives the bits of the specialised loops it dispatches to (GBM
/// ensembles with fixed steps, Lorenz with adaptive DP5, adaptive SDE ensembles, Langevin), whatever the thread
/// count; the controller alone switches fixed and adaptive; save points and statuses mean one thing everywhere.
/// </summary>
public class DiffEqTests
{
    private static readonly GeometricBrownianMotion Gbm = new(0.05, 0.4);

    private static void SameBits(EnsembleSolution expected, Solution actual)
    {
        Assert.Equal(expected.Times, actual.Times);
        Assert.Equal(expected.PathCount, actual.Paths);
        for (int s = 0; s < expected.Times.Length; s++)
            for (int i = 0; i < expected.Dimension; i++)
            {
                Assert.Equal(expected.Moments(s, i).Mean, actual.Moments(s, i).Mean);
                Assert.Equal(expected.Moments(s, i).Variance, actual.Moments(s, i).Variance);
                if (expected.HasPaths) Assert.True(expected.PathsAt(s, i).SequenceEqual(actual.PathsAt(s, i)), $"paths differ at save {s}, component {i}");
            }
    }

    private static void SameBits(Solution expected, Solution actual) => SameBits(expected.Ensemble, actual);

    [Fact]
    public void A_fixed_step_GBM_ensemble_has_the_bits_of_Ensemble_Solve()
    {
        var solver = new Milstein(Calculus.Ito);
        var old = Ensemble.Solve(new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(Gbm, Gbm, [1.0], 0, 1), solver,
            new EnsembleOptions { Paths = 3000, Steps = 50, Seed = 7, Save = SaveAt.Times(0.33, 1.0), KeepPaths = true });
        var one = DiffEq.Solve(Sde.Problem(Gbm, [1.0], 0, 1), solver, new SolveOptions
        {
            Controller = ConstantStep.WithSteps(50), Paths = 3000, Seed = 7, Save = SaveAt.Times(0.33, 1.0), KeepPaths = true,
        });
        SameBits(old, one);
        Assert.Equal(SolveStatus.Success, one.Status);
        Assert.Equal("", one.Message);
        Assert.Equal(old.Quantile(1, 0, 0.9), one.Quantile(1, 0, 0.9));
        // 0.33 is off the grid of 50 steps, so it became a grid point: 51 steps per path, none rejected.
        Assert.Equal(51 * 3000, one.Statistics.AcceptedSteps);
        Assert.Equal(0, one.Statistics.RejectedSteps);
        Assert.Equal(51 * 3000 * 2L, one.Statistics.DiffusionEvaluations);
        Assert.Equal(0.01, one.Statistics.SmallestStep, 1e-12);
        Assert.Equal(0.02, one.Statistics.LargestStep, 1e-12);
    }

    [Fact]
    public void Adaptive_DP5_on_Lorenz_has_the_bits_of_AdaptiveOde()
    {
        var controller = new PidController { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9 };
        var old = AdaptiveOde.Solve(new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 10), new DormandPrince5(),
            new AdaptiveOptions { Controller = controller, SaveTimes = [1.0, 5.0, 10.0] });
        var one = DiffEq.Solve(Ode.Problem(default(Lorenz63), [1.0, 1.0, 1.0], 0, 10), new DormandPrince5(),
            new SolveOptions { Controller = controller, Save = SaveAt.Times(1.0, 5.0, 10.0) });
        Assert.Equal(SolveStatus.Success, one.Status);
        Assert.Equal([1.0, 5.0, 10.0], one.Times);
        for (int k = 0; k < 3; k++) Assert.True(old.State(k).SequenceEqual(one.State(k)), $"state {k} differs");
        Assert.Equal(old.Statistics.AcceptedSteps, one.Statistics.AcceptedSteps);
        Assert.Equal(old.Statistics.RejectedSteps, one.Statistics.RejectedSteps);
        Assert.Equal(old.Statistics.FunctionEvaluations, one.Statistics.DriftEvaluations);
    }

    [Fact]
    public void Adaptive_ODE_paths_from_per_path_initial_states_have_the_bits_of_SolveBatch_on_any_thread_count()
    {
        InitialStates init = (first, n, x) =>
        {
            for (int p = 0; p < n; p++) (x[p], x[n + p], x[2 * n + p]) = (1.0 + 0.01 * (first + p), 1.0, 1.0 + 0.02 * (first + p));
        };
        var problem = Ode.Problem(default(Lorenz63), [1.0, 1.0, 1.0], 0, 2, init);
        var controller = new PidController { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-7 };
        var old = AdaptiveOde.SolveBatch(problem, new Tsitouras5(), 300, new AdaptiveOptions { Controller = controller, SaveTimes = [1.0, 2.0] });
        var options = new SolveOptions { Controller = controller, Paths = 300, Save = SaveAt.Times(1.0, 2.0), KeepPaths = true, Threads = 1 };
        var one = DiffEq.Solve(problem, new Tsitouras5(), options);
        for (int p = 0; p < 300; p++)
            for (int k = 0; k < 2; k++) Assert.True(old[p].State(k).SequenceEqual(one.State(k, p)), $"path {p} save {k} differs");
        SameBits(one, DiffEq.Solve(problem, new Tsitouras5(), options with { Threads = 2, ChunkSize = 512 }));
        Assert.Equal(old.FunctionEvaluations, one.Statistics.DriftEvaluations);
    }

    private static SolveOptions AdaptiveSde(double tol, int threads) => new()
    {
        Controller = PidController.StochasticDefault with { RelativeTolerance = tol, AbsoluteTolerance = tol },
        Paths = 300, Seed = 12, KeepPaths = true, Threads = threads, Save = SaveAt.Times(0.25, 1.0), RecordStepsOfPaths = 2,
    };

    [Fact]
    public void An_adaptive_SDE_ensemble_has_the_bits_of_AdaptiveSde_on_any_thread_count()
    {
        var model = new GbmWithWitness(1.0, 1.5);
        var old = Drift.Ensembles.AdaptiveSde.Solve(new SdeProblem<GbmWithWitness, GbmWithWitness>(model, model, [1.0, 0.0], 0, 1), new Sriw1(), new AdaptiveSdeOptions
        {
            Paths = 300, Seed = 12, KeepPaths = true, Save = SaveAt.Times(0.25, 1.0), RecordStepsOfPaths = 2,
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2 },
        });
        var problem = Sde.Problem(model, [1.0, 0.0], 0, 1);
        var one = DiffEq.Solve(problem, new Sriw1(), AdaptiveSde(1e-2, 1));
        SameBits(old.Ensemble, one);
        Assert.Equal(old.Statistics.AcceptedSteps, one.Statistics.AcceptedSteps);
        Assert.Equal(old.Statistics.RejectedSteps, one.Statistics.RejectedSteps);
        Assert.Equal(old.Steps, one.Steps);
        Assert.Equal([0L, 1L], one.Steps.Select(r => r.Path).Distinct());
        SameBits(one, DiffEq.Solve(problem, new Sriw1(), AdaptiveSde(1e-2, 2)));
    }

    [Fact]
    public void A_solver_without_an_embedded_pair_adapts_by_step_doubling_with_the_bits_of_AdaptiveSde()
    {
        var model = new GbmWithWitness(1.0, 1.5);
        var problem = Sde.Problem(model, [1.0, 0.0], 0, 1, Calculus.Stratonovich);
        var solver = new Milstein(Calculus.Stratonovich);
        var old = Drift.Ensembles.AdaptiveSde.Solve(problem, new StepDoubling<Milstein>(solver), new AdaptiveSdeOptions
        {
            Paths = 300, Seed = 12, KeepPaths = true, Save = SaveAt.Times(0.25, 1.0),
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2 },
        });
        var one = DiffEq.Solve(problem, solver, AdaptiveSde(1e-2, 2) with { RecordStepsOfPaths = 0 });
        SameBits(old.Ensemble, one);
        Assert.True(one.Statistics.RejectedSteps > 0);
        Assert.Equal(old.Statistics.DiffusionEvaluations, one.Statistics.DiffusionEvaluations);
    }

    [Fact]
    public void A_fixed_step_ensemble_gives_the_same_bits_on_one_and_two_threads_and_any_chunk_size()
    {
        var options = new SolveOptions { Controller = ConstantStep.WithSize(0.01), Paths = 2000, Seed = 3, KeepPaths = true, Threads = 1, Save = SaveAt.EveryStep(25) };
        var one = DiffEq.Solve(Sde.Problem(Gbm, [1.0], 0, 1), new EulerMaruyama(), options);
        SameBits(one, DiffEq.Solve(Sde.Problem(Gbm, [1.0], 0, 1), new EulerMaruyama(), options with { Threads = 2, ChunkSize = 256 }));
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], one.Times.Select(t => Math.Round(t, 12)));
    }

    [Fact]
    public void The_controller_alone_switches_an_embedded_pair_between_fixed_and_adaptive_steps()
    {
        var problem = Ode.Problem(default(Lorenz63), [1.0, 1.0, 1.0], 0, 1);
        var fixedSteps = DiffEq.Solve(problem, new Tsitouras5(), new SolveOptions { Controller = ConstantStep.WithSteps(100) });
        Assert.Equal(100, fixedSteps.Statistics.AcceptedSteps);
        Assert.Equal(0, fixedSteps.Statistics.RejectedSteps);
        Assert.Equal(100 * 7, fixedSteps.Statistics.DriftEvaluations);
        // The same grid through the adaptive layer with its control switched off.
        var reference = AdaptiveOde.Solve(new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 1), new Tsitouras5(),
            new AdaptiveOptions { Controller = new PidController { FixedStep = 0.01 } });
        for (int i = 0; i < 3; i++) Assert.Equal(reference.FinalState[i], fixedSteps.FinalState[i], 1e-11);

        var adaptive = DiffEq.Solve(problem, new Tsitouras5(), new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 } });
        Assert.NotEqual(100, adaptive.Statistics.AcceptedSteps);
        for (int i = 0; i < 3; i++) Assert.Equal(adaptive.FinalState[i], fixedSteps.FinalState[i], 1e-6);

        // RK4 has no error estimate: fixed steps give Ensemble.Solve's bits, an adaptive controller is refused.
        var rk4 = DiffEq.Solve(problem, new RungeKutta4(), new SolveOptions { Controller = ConstantStep.WithSteps(100), Paths = 300 });
        SameBits(Ensemble.Solve(problem, new RungeKutta4(), new EnsembleOptions { Paths = 300, Steps = 100 }), rk4);
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new RungeKutta4(), new SolveOptions { Controller = new PidController() }));
        Assert.Contains("no error estimate", e.Message);
    }

    [Fact]
    public void Save_points_mean_the_same_under_every_controller()
    {
        double[] wanted = [0.125, 0.3, 1.0];
        var sde = Sde.Problem(Gbm, [1.0], 0, 1, Calculus.Stratonovich);
        var fixedSde = DiffEq.Solve(sde, new EulerHeun(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 256, Save = SaveAt.Times(wanted) });
        var adaptiveSde = DiffEq.Solve(sde, new EulerHeun(),
            new SolveOptions { Controller = PidController.StochasticDefault, Paths = 256, Save = SaveAt.Times(wanted) });
        var ode = Ode.Problem(default(Lorenz63), [1.0, 1.0, 1.0], 0, 1);
        var adaptiveOde = DiffEq.Solve(ode, new DormandPrince5(), new SolveOptions { Controller = new PidController(), Save = SaveAt.Times(wanted) });
        // Adaptive loops report the times asked for exactly; the fixed grid reports its own point where a save time
        // falls on it up to rounding (0.3 is 3 × 0.1 = 0.30000000000000004 there).
        Assert.Equal(wanted, adaptiveSde.Times);
        Assert.Equal(wanted, adaptiveOde.Times);
        Assert.Equal(wanted.Length, fixedSde.Times.Count);
        for (int k = 0; k < wanted.Length; k++) Assert.Equal(wanted[k], fixedSde.Times[k], 1e-15);
        // Adaptive ODE saves come from dense output, as AdaptiveOde's SaveTimes.
        var dense = AdaptiveOde.Solve(new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 1), new DormandPrince5(), new AdaptiveOptions { SaveTimes = wanted });
        Assert.True(dense.State(1).SequenceEqual(adaptiveOde.State(1)));

        // Every third accepted step of a single adaptive trajectory, t0 and t1 included.
        var steps = AdaptiveOde.Solve(new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 1), new DormandPrince5(), new AdaptiveOptions { SaveSteps = true });
        var every = DiffEq.Solve(ode, new DormandPrince5(), new SolveOptions { Controller = new PidController(), Save = SaveAt.EveryStep(3) });
        var expected = new List<double>();
        for (int k = 0; k < steps.Count; k += 3) expected.Add(steps.Times[k]);
        if (expected[^1] != 1.0) expected.Add(1.0);
        Assert.Equal(expected, every.Times);
        Assert.True(steps.State(3).SequenceEqual(every.State(1)));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(ode, new DormandPrince5(), new SolveOptions { Controller = new PidController(), Save = SaveAt.EveryStep(3), Paths = 2 }));
    }

    [Fact]
    public void Every_loop_reports_why_it_stopped_in_one_vocabulary()
    {
        var ode = Ode.Problem(default(Lorenz63), [1.0, 1.0, 1.0], 0, 10);
        var maxSteps = DiffEq.Solve(ode, new DormandPrince5(), new SolveOptions { Controller = new PidController { MaxSteps = 10 } });
        Assert.Equal(SolveStatus.MaxSteps, maxSteps.Status);
        Assert.Equal(FailureCause.MaxStepsReached, Assert.Single(maxSteps.Failures).Cause);
        Assert.Contains("path 0", maxSteps.Message);

        var breaks = Ode.Problem(default(BreaksAtHalf), [0.0], 0, 1);
        var nonFinite = DiffEq.Solve(breaks, new RungeKutta4(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 300 });
        Assert.Equal(SolveStatus.NonFinite, nonFinite.Status);
        Assert.Equal(300, nonFinite.FailedPaths);
        Assert.Equal(SolveStatus.NonFinite, DiffEq.Solve(breaks, new DormandPrince5(), new SolveOptions { Controller = new PidController() }).Status);

        var tight = PidController.StochasticDefault with { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9, MinStep = 0.05 };
        var tooSmall = DiffEq.Solve(Sde.Problem(Gbm, [1.0], 0, 1), new Sriw1(), new SolveOptions { Controller = tight, Paths = 256 });
        Assert.Equal(SolveStatus.StepTooSmall, tooSmall.Status);
        Assert.All(tooSmall.Failures, f => Assert.Equal(FailureCause.StepSizeTooSmall, f.Cause));

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var cancelled = DiffEq.Solve(Sde.Problem(Gbm, [1.0], 0, 1), new EulerMaruyama(),
            new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 4096, CancellationToken = cancel.Token });
        Assert.Equal(SolveStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public void A_Langevin_splitting_through_the_one_call_has_the_bits_of_LangevinEnsemble()
    {
        var baoab = new Baoab<HarmonicPotential>(new HarmonicPotential(1, 2.0), 1.0, 1.0);
        var old = LangevinEnsemble.Solve(baoab, [0.5], null, 2, new EnsembleOptions { Paths = 700, Steps = 40, Seed = 9, KeepPaths = true });
        var one = DiffEq.Solve(LangevinEnsemble.Problem(baoab, [0.5], null, 2), new SolveOptions { Controller = ConstantStep.WithSteps(40), Paths = 700, Seed = 9, KeepPaths = true });
        SameBits(old, one);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(LangevinEnsemble.Problem(baoab, [0.5], null, 2), new SolveOptions { Controller = new PidController() }));
    }

    [Fact]
    public void Heston_QE_and_SABR_through_the_one_call_have_the_bits_of_their_own_Solve()
    {
        var heston = new HestonParameters(100, 0.04, 0.02, 0.5, 0.04, 1.0, -0.9);
        var old = HestonQuadraticExponential.Solve(heston, 1.0, new EnsembleOptions { Paths = 700, Steps = 16, Seed = 4, KeepPaths = true });
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(16), Paths = 700, Seed = 4, KeepPaths = true };
        SameBits(old, DiffEq.Solve(HestonQuadraticExponential.Problem(heston, 1.0), options));
        var sabr = new Sabr(beta: 0.7, nu: 0.4, rho: -0.3);
        SameBits(sabr.Solve(100, 0.3, 1.0, new EnsembleOptions { Paths = 700, Steps = 16, Seed = 4, KeepPaths = true }),
            DiffEq.Solve(sabr.Problem(100, 0.3, 1.0), options));
    }

    [Fact]
    public void A_scheme_that_draws_its_own_variates_takes_path_step_counters_with_the_bits_of_its_own_Solve()
    {
        // Exact CIR draws noncentral chi-squared variates keyed by (seed, path, step): the counters replace Philox normals.
        var cir = new CoxIngersollRoss(2.0, 0.04, 0.3);
        var old = CoxIngersollRossExact.Solve(cir, 0.03, 1.0, new EnsembleOptions { Paths = 700, Steps = 8, Seed = 6, KeepPaths = true, Save = SaveAt.EveryStep(4) });
        var one = DiffEq.Solve(new StepperProblem<CoxIngersollRossExact>(new CoxIngersollRossExact(cir, 6), [0.03], 0, 1.0), default(Drift.Brownian.PathStepCounters),
            new SolveOptions { Controller = ConstantStep.WithSteps(8), Paths = 700, Seed = 6, KeepPaths = true, Save = SaveAt.EveryStep(4) });
        SameBits(old, one);
        Assert.Equal(8 * 700, one.Statistics.AcceptedSteps);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(new StepperProblem<CoxIngersollRossExact>(new CoxIngersollRossExact(cir, 6), [0.03], 0, 1.0),
            default(Drift.Brownian.PathStepCounters), new SolveOptions { Controller = new PidController() }));
    }

    [Fact]
    public void A_fixed_step_SDE_on_a_given_Brownian_path_has_the_bits_of_Ensemble_Solve_and_refuses_adaptive_steps()
    {
        // A nested Brownian path shared by two step counts, as strong-order tests use it.
        var problem = Sde.Problem(Gbm, [1.0], 0, 1);
        var brownian = new Drift.Brownian.NestedBrownianIncrements(11, 0, 1, 64);
        foreach (int steps in new[] { 8, 64 })
        {
            var old = Ensemble.Solve(problem, new Milstein(Calculus.Ito), brownian, new EnsembleOptions { Paths = 300, Steps = steps, KeepPaths = true });
            var one = DiffEq.Solve(problem, new Milstein(Calculus.Ito), brownian, new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = 300, KeepPaths = true });
            SameBits(old, one);
            Assert.Equal(2L * steps * 300, one.Statistics.DiffusionEvaluations);
        }
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Sriw1(), brownian, new SolveOptions { Controller = PidController.StochasticDefault }));
        Assert.Contains("ConstantStep", e.Message);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_setting_named()
    {
        var problem = Sde.Problem(Gbm, [1.0], 0, 1);
        Assert.Contains("paths", Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(4), Paths = 0 })).Message);
        Assert.Contains("chunk", Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(4), ChunkSize = 100 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConstantStep.WithSize(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConstantStep.WithSteps(0));
        Assert.Contains("RelativeTolerance", Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Sriw1(), new SolveOptions { Controller = new PidController { RelativeTolerance = -1 } })).Message);
    }
}
