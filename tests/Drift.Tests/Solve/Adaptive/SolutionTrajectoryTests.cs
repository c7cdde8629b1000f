using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;
using Drift.Tests.Solve.Stiff;

namespace Drift.Tests.Solve.Adaptive;

/// <summary>
/// <see cref="Solution.Trajectory"/>: a single-path adaptive ODE solve through the one entry point keeps where the
/// path stopped and its state there (what the CLI prints), checked against closed forms.
/// </summary>
public class SolutionTrajectoryTests
{
    [Fact]
    public void A_failed_path_keeps_its_stop_time_and_the_finite_state_there()
    {
        // x' = 1 from x(0) = 0 until t = 0.5, then NaN: x(t) = t up to where the path stopped.
        var s = DiffEq.Solve(Ode.Problem(default(BreaksAtHalf), [0.0], 0, 1), new Tsitouras5(), new SolveOptions { Controller = new PidController() });
        Assert.Equal(SolveStatus.NonFinite, s.Status);
        Assert.True(double.IsNaN(s.FinalState[0]));
        var path = Assert.IsType<OdeSolution>(s.Trajectory);
        Assert.Equal(SolveStatus.NonFinite, path.Status);
        Assert.InRange(path.FinalTime, 0.4, 0.5);
        Assert.Equal(s.Failures[0].Time, path.FinalTime);
        Assert.Equal(path.FinalTime, path.FinalState[0], 1e-12);
    }

    [Fact]
    public void Saves_before_t1_leave_the_state_at_t1_on_the_trajectory()
    {
        // x' = cos(t) x, x(0) = 1: x = exp(sin t).
        var options = new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 }, Save = SaveAt.Times(0.5) };
        var s = DiffEq.Solve(Ode.Problem(default(CosineGrowth), [1.0], 0, 2), new DormandPrince5(), options);
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.Equal([0.5], s.Times);
        Assert.Equal(Math.Exp(Math.Sin(0.5)), s.State(0)[0], 1e-8);
        var path = s.Trajectory!;
        Assert.Equal(2.0, path.FinalTime);
        Assert.Equal(Math.Exp(Math.Sin(2.0)), path.FinalState[0], 1e-8);
        Assert.Equal(s.Statistics.AcceptedSteps, path.Statistics.AcceptedSteps);
    }

    [Fact]
    public void A_single_path_keeps_no_quantile_sketches_and_its_quantiles_are_its_values()
    {
        // One path saving every step: no sketch per save (a long solve once held gigabytes of them); every quantile
        // of one value is that value. Two paths keep sketches as before.
        var options = new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 }, Save = SaveAt.EveryStep(1) };
        var one = DiffEq.Solve(Ode.Problem(default(CosineGrowth), [1.0], 0, 2), new DormandPrince5(), options);
        Assert.False(one.Ensemble.HasQuantileSketches);
        for (int save = 0; save < one.Times.Count; save++)
            foreach (double q in new[] { 0.0, 0.3, 1.0 })
                Assert.Equal(one.State(save)[0], one.Quantile(save, 0, q));
        Assert.Equal(Math.Exp(Math.Sin(2.0)), one.Quantile(one.Times.Count - 1, 0, 0.5), 1e-8);
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Quantile(0, 0, 1.5));
        var two = DiffEq.Solve(Ode.Problem(default(CosineGrowth), [1.0], 0, 2), new DormandPrince5(), options with { Save = SaveAt.Times(1.0, 2.0), Paths = 2 });
        Assert.True(two.Ensemble.HasQuantileSketches);
    }

    [Fact]
    public void A_stiff_method_that_runs_out_of_steps_keeps_the_state_where_it_stopped()
    {
        // Prothero–Robinson, λ = −10⁴: y = sin t on every solution started on it.
        var problem = Ode.Problem(new ProtheroRobinson(-1e4), [0.0], 0, 10);
        var s = DiffEq.Solve(problem, new Rodas4(), new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, MaxSteps = 5 } });
        Assert.Equal(SolveStatus.MaxSteps, s.Status);
        var path = s.Trajectory!;
        Assert.InRange(path.FinalTime, 1e-12, 9.9);
        Assert.Equal(Math.Sin(path.FinalTime), path.FinalState[0], 1e-7);
    }

    [Fact]
    public void Ensembles_and_fixed_steps_have_no_trajectory()
    {
        var problem = Ode.Problem(default(CosineGrowth), [1.0], 0, 1);
        Assert.Null(DiffEq.Solve(problem, new Tsitouras5(), new SolveOptions { Controller = new PidController(), Paths = 2 }).Trajectory);
        Assert.Null(DiffEq.Solve(problem, new Tsitouras5(), new SolveOptions { Controller = ConstantStep.WithSteps(10) }).Trajectory);
    }
}
