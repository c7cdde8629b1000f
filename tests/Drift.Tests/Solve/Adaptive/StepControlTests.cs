using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

public class StepControlTests
{
    private static readonly OdeProblem<Lorenz63> Lorenz = new(default, [1.0, 1.0, 1.0], 0, 1);

    [Fact]
    public void Controller_defaults_are_the_documented_literature_values()
    {
        var c = new PidController();
        Assert.Equal((1e-6, 1e-6), (c.RelativeTolerance, c.AbsoluteTolerance));
        Assert.Equal((0.9, 0.2, 10.0), (c.Safety, c.MinFactor, c.MaxFactor));
        Assert.Equal((0.85, -0.2, 0.0), (c.Beta1, c.Beta2, c.Beta3));
        Assert.Equal(100_000, c.MaxSteps);
        Assert.Equal((0.0, double.PositiveInfinity, 0.0, 0.0), (c.MinStep, c.MaxStep, c.InitialStep, c.FixedStep));
        Assert.Equal((1.0, 0.0, 0.0), (PidController.Integral.Beta1, PidController.Integral.Beta2, PidController.Integral.Beta3));
    }

    [Fact]
    public void Accepted_steps_have_error_norm_at_most_one_and_rejections_are_counted()
    {
        var s = DiffEq.Solve(Lorenz, new DormandPrince5(), Methods.ToleranceOptions(1e-8) with { RecordStepsOfPaths = 1 });
        var steps = s.Steps.Select(r => r.Step).ToArray();
        Assert.Equal(s.Statistics.AcceptedSteps + s.Statistics.RejectedSteps, steps.Length);
        Assert.All(steps.Where(r => r.Accepted), r => Assert.InRange(r.ErrorNorm, 0, 1));
        Assert.All(steps.Where(r => !r.Accepted), r => Assert.True(r.ErrorNorm > 1));
        Assert.Equal(1.0, steps[^1].Time + steps[^1].Size, 1e-15);
        // FSAL: 6 evaluations per attempted step, plus f(t0) and the initial-step probe.
        Assert.Equal(6 * steps.Length + 2, s.Statistics.DriftEvaluations);
    }

    [Fact]
    public void Maximum_step_is_respected()
    {
        var options = new SolveOptions { Controller = new PidController { MaxStep = 0.01 }, RecordStepsOfPaths = 1 };
        var s = DiffEq.Solve(Lorenz, new Tsitouras5(), options);
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.All(s.Steps, r => Assert.True(r.Step.Size <= 0.01));
        Assert.True(s.Statistics.AcceptedSteps >= 100);
    }

    [Fact]
    public void Minimum_step_above_what_the_tolerance_needs_stops_with_StepSizeTooSmall()
    {
        var options = new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12, MinStep = 0.05 } };
        var s = DiffEq.Solve(Lorenz, new DormandPrince5(), options);
        Assert.Equal(SolveStatus.StepTooSmall, s.Status);
        Assert.True(s.Failures[0].Time < 1);
        Assert.Contains("below the minimum", s.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_out_of_steps_stops_with_MaxStepsReached_and_a_finite_state()
    {
        var s = AdaptiveOde.Solve(Lorenz, new BogackiShampine3(), Methods.Tolerance(1e-10) with { Controller = new PidController { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10, MaxSteps = 50 } });
        Assert.Equal(OdeStatus.MaxStepsReached, s.Status);
        Assert.Equal(50, s.Statistics.AcceptedSteps + s.Statistics.RejectedSteps);
        Assert.InRange(s.FinalTime, 1e-6, 1);
        Assert.All(s.FinalState.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Methods.All), MemberType = typeof(Methods))]
    public void A_right_hand_side_that_turns_NaN_is_reported_with_time_and_cause(string name)
    {
        var problem = new OdeProblem<BreaksAtHalf>(default, [0.0], 0, 1);
        var s = Methods.Solve(name, problem, new AdaptiveOptions());
        Assert.Equal(OdeStatus.NonFinite, s.Status);
        Assert.InRange(s.FinalTime, 0.4, 0.5);
        Assert.Equal(s.FinalTime, s.FinalState[0], 1e-9);
        Assert.Contains(FormattableString.Invariant($"t = {s.FinalTime}"), s.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", s.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blow_up_stops_before_the_singularity_with_a_finite_state()
    {
        // x' = x², x(0) = 1: x = 1/(1 − t) is infinite at t = 1.
        var problem = new OdeProblem<Quadratic>(default, [1.0], 0, 2);
        var s = AdaptiveOde.Solve(problem, new Tsitouras5(), new AdaptiveOptions());
        Assert.NotEqual(OdeStatus.Success, s.Status);
        Assert.InRange(s.FinalTime, 0.99, 1.01);
        Assert.True(double.IsFinite(s.FinalState[0]));
        Assert.NotEmpty(s.Message);
    }

    [Fact]
    public void NaN_at_the_initial_point_is_reported_at_t0()
    {
        var problem = new OdeProblem<BreaksAtHalf>(default, [0.0], 0.75, 1);
        var s = DiffEq.Solve(problem, new DormandPrince853(), new SolveOptions { Controller = new PidController() });
        Assert.Equal(SolveStatus.NonFinite, s.Status);
        Assert.Equal(0.75, s.Failures[0].Time);
        Assert.Contains("t0 = 0.75", s.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hairer_stiffness_test_flags_a_stiff_problem_and_not_Lorenz()
    {
        var stiff = new OdeProblem<StiffRelaxation>(default, [0.0], 0, 20);
        var s = DiffEq.Solve(stiff, new DormandPrince5(), new SolveOptions { Controller = new PidController(), RecordStepsOfPaths = 1 });
        Assert.True(double.IsFinite(s.StiffnessDetectedAt), "stiffness not detected");
        // On the stiff problem the step sits at the stability boundary: h·|λ| ≈ 1000 h ≈ 3.3.
        var late = s.Steps.Select(r => r.Step).Where(r => r.Accepted && r.Time > 10).ToArray();
        Assert.InRange(late.Average(r => r.Size) * 1000, 2.0, 3.6);
        Assert.All(late, r => Assert.Equal(1000 * r.Size, r.Stiffness, 1e-6));

        var lorenz = DiffEq.Solve(new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 20), new DormandPrince853(), new SolveOptions { Controller = new PidController() });
        Assert.True(double.IsNaN(lorenz.StiffnessDetectedAt));
    }

    [Fact]
    public void The_step_loop_does_not_allocate_per_step()
    {
        var shortRun = new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 1);
        var longRun = new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 50);
        var options = Methods.Tolerance(1e-9);
        AdaptiveOde.Solve(longRun, new Tsitouras5(), options);
        // The JIT's tier-up can allocate on this thread in the middle of a measurement; it only ever
        // adds bytes, so the smallest of three differences is the solver's own per-step allocation.
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3 && smallest != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var a = AdaptiveOde.Solve(shortRun, new Tsitouras5(), options);
            long shortBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            var b = AdaptiveOde.Solve(longRun, new Tsitouras5(), options);
            long longBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(b.Statistics.AcceptedSteps > 20 * a.Statistics.AcceptedSteps);
            smallest = Math.Min(smallest, Math.Abs(longBytes - shortBytes));
        }
        Assert.Equal(0, smallest);
    }
}
