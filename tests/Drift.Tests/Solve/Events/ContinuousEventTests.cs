using Xunit.Abstractions;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;
using Drift.Solve.Ode;
using Drift.Solve.Stiff;

namespace Drift.Tests.Solve.Events;

/// <summary>
/// Continuous events and discrete callbacks through <see cref="DiffEq.Solve{TDrift, TMethod}"/>: impact times of a
/// bouncing ball and a terminal crossing of a linear ODE against their closed forms to 1e-10 on dense output;
/// the measured second order of linear interpolation on a fixed grid; directions, several components, held states after a
/// stop, callbacks landing on their times, thread-independent records, and refusals where events are not supported.
/// </summary>
public class ContinuousEventTests(ITestOutputHelper output)
{
    private const double Gravity = 9.81, Height = 10, Restitution = 0.8;

    private static SolveOptions Adaptive(double rtol) => new()
    {
        Controller = new PidController { RelativeTolerance = rtol, AbsoluteTolerance = rtol },
    };

    /// <summary>Impact k (1-based): t₁ = √(2H/g), v₁ = g t₁, and each flight after impact j lasts 2 eʲ v₁ / g.</summary>
    private static double ImpactTime(int k)
    {
        double t = Math.Sqrt(2 * Height / Gravity), v1 = Gravity * t;
        for (int j = 1; j < k; j++) t += 2 * Math.Pow(Restitution, j) * v1 / Gravity;
        return t;
    }

    private static Solution BouncingBall<TMethod>(TMethod method, int bounces) where TMethod : struct, IOdeMethod
    {
        var events = ContinuousEvents.Create(new Level(0, 0), EventDirection.Down, (i, t, x) =>
        {
            x[1] = -Restitution * x[1];
            return EventAction.Continue;
        });
        return DiffEq.Solve(Ode.Problem(new FallingBall(Gravity), [Height, 0.0], 0, ImpactTime(bounces) + 0.1), method,
            Adaptive(1e-10) with { Events = events, Save = SaveAt.Times(ImpactTime(bounces) + 0.1) });
    }

    [Fact]
    public void Bouncing_ball_impacts_match_the_closed_form_to_1e_10_on_dense_output()
    {
        const int bounces = 6;
        foreach (var solution in new[] { BouncingBall(new Tsitouras5(), bounces), BouncingBall(new DormandPrince5(), bounces), BouncingBall(new DormandPrince853(), bounces), BouncingBall(new Rodas4(), bounces) })
        {
            Assert.Equal(SolveStatus.Success, solution.Status);
            Assert.Equal(bounces, solution.Events.Count);
            output.WriteLine($"largest impact-time error {Enumerable.Range(0, bounces).Max(k => Math.Abs(solution.Events[k].Time - ImpactTime(k + 1))):E2}");
            for (int k = 0; k < bounces; k++)
            {
                var e = solution.Events[k];
                Assert.Equal(0, e.Index);
                Assert.False(e.Terminated);
                Assert.True(Math.Abs(e.Time - ImpactTime(k + 1)) < 1e-10, $"impact {k + 1}: {e.Time} vs {ImpactTime(k + 1)}");
            }
            // The ball is in flight after the last impact: height ≥ 0 everywhere, velocity e^k v₁ − g·(t − t_k).
            double tEnd = ImpactTime(bounces) + 0.1, v1 = Gravity * ImpactTime(1);
            double v = Math.Pow(Restitution, bounces) * v1 - Gravity * 0.1;
            Assert.True(Math.Abs(solution.FinalState[1] - v) < 1e-9, $"final velocity {solution.FinalState[1]} vs {v}");
            Assert.Equal(tEnd, solution.Times[^1]);
        }
    }

    [Fact]
    public void A_terminal_event_stops_a_linear_ODE_at_its_crossing_to_1e_10()
    {
        // x' = −x, x(0) = 1 crosses 1/4 at t* = ln 4; the path stops there with status Success and holds its state.
        var events = ContinuousEvents.Create(new Level(0, 0.25), EventDirection.Down);
        foreach (var (solution, name) in new[]
        {
            (DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 3), new Tsitouras5(), Adaptive(1e-12) with { Events = events, Save = SaveAt.Times(0.5, 1, 2, 3) }), "tsit5"),
            (DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 3), new DormandPrince853(), Adaptive(1e-12) with { Events = events, Save = SaveAt.Times(0.5, 1, 2, 3) }), "dop853"),
            (DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 3), new Rodas4(), Adaptive(1e-11) with { Events = events, Save = SaveAt.Times(0.5, 1, 2, 3) }), "rodas4"),
        })
        {
            Assert.Equal(SolveStatus.Success, solution.Status);
            var e = Assert.Single(solution.Events);
            Assert.True(e.Terminated);
            output.WriteLine($"{name}: t* error {e.Time - Math.Log(4):E2}");
            Assert.True(Math.Abs(e.Time - Math.Log(4)) < 1e-10, $"{name}: t* = {e.Time:R}, error {e.Time - Math.Log(4):E2}");
            Assert.Equal(e.Time, solution.Trajectory!.FinalTime);
            Assert.True(Math.Abs(solution.State(0)[0] - Math.Exp(-0.5)) < 1e-9, name);
            Assert.True(Math.Abs(solution.State(1)[0] - Math.Exp(-1)) < 1e-9, name);
            Assert.True(solution.State(2)[0] <= 0.25 && solution.State(2)[0] > 0.25 - 1e-10, $"{name}: held state {solution.State(2)[0]}");
            Assert.Equal(solution.State(2)[0], solution.State(3)[0]);
        }
    }

    [Fact]
    public void On_a_fixed_grid_linear_interpolation_locates_a_crossing_within_its_error_bound()
    {
        // RK4 on x' = −x is accurate to O(h⁴); linear interpolation of x between grid points errs by θ(1 − θ)h²|x''|/2 with x''
        // somewhere in the step, at most x(t_k)h²/8 ≤ x(t*)e^h h²/8; divided by |x'(t*)| = x(t*) the located time errs by at most
        // e^h h²/8 (plus RK4's O(h⁴) error).
        var events = ContinuousEvents.Create(new Level(0, 0.25), EventDirection.Down);
        foreach (int n in new[] { 10, 20, 40, 80, 160 })
        {
            var s = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 3), new RungeKutta4(),
                new SolveOptions { Controller = ConstantStep.WithSteps(n), Events = events, Save = SaveAt.Times(2.5, 3) });
            var e = Assert.Single(s.Events);
            Assert.True(e.Terminated);
            double h = 3.0 / n, error = Math.Abs(e.Time - Math.Log(4));
            output.WriteLine($"{n} steps: error {error:E2}, bound h²/8 = {h * h / 8:E2}");
            Assert.True(error <= Math.Exp(h) * h * h / 8 + 1e-2 * h * h * h * h, $"{n} steps: error {error:E3} above e^h h²/8 = {Math.Exp(h) * h * h / 8:E3}");
            Assert.Equal(s.State(0)[0], s.State(1)[0]); // held after the stop
        }
    }

    [Fact]
    public void Directions_and_several_components_give_the_right_crossings_in_time_order()
    {
        // x = sin t, y = cos t on [0, 10]: x crosses zero down at π and 3π, up at 2π; y down at π/2, 5π/2, up at 3π/2 (7π/2 > 10).
        var either = ContinuousEvents.Create(new BothComponents(), EventDirection.Either, (i, t, x) => EventAction.Continue);
        var s = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 10), new Tsitouras5(), Adaptive(1e-12) with { Events = either });
        double[] expected = [Math.PI / 2, Math.PI, 1.5 * Math.PI, 2 * Math.PI, 2.5 * Math.PI, 3 * Math.PI];
        int[] index = [1, 0, 1, 0, 1, 0];
        Assert.Equal(expected.Length, s.Events.Count);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(index[k], s.Events[k].Index);
            Assert.True(Math.Abs(s.Events[k].Time - expected[k]) < 1e-9, $"event {k}: {s.Events[k].Time} vs {expected[k]}");
        }

        var up = ContinuousEvents.Create(new Level(0, 0), EventDirection.Up, (i, t, x) => EventAction.Continue);
        var u = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 10), new DormandPrince5(), Adaptive(1e-12) with { Events = up });
        Assert.True(Math.Abs(Assert.Single(u.Events).Time - 2 * Math.PI) < 1e-9);

        var directions = ContinuousEvents.Create(new BothComponents(), [EventDirection.Down, EventDirection.Up], (i, t, x) => EventAction.Continue);
        var m = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 10), new Tsitouras5(), Adaptive(1e-12) with { Events = directions });
        Assert.Equal(new[] { Math.PI, 1.5 * Math.PI, 3 * Math.PI }.Select(t => Math.Round(t, 8)), m.Events.Select(e => Math.Round(e.Time, 8)));
    }

    [Fact]
    public void Discrete_callbacks_land_steps_on_their_times()
    {
        // x' = −x, x(0) = 1, with x ← x + 1 at t = 0.7 and t = 1.3: x(2) = ((e^{−0.7} + 1) e^{−0.6} + 1) e^{−0.7}.
        var callbacks = new DiscreteCallbacks([1.3, 0.7], (i, t, x) =>
        {
            x[0] += 1;
            return EventAction.Continue;
        });
        double exact = ((Math.Exp(-0.7) + 1) * Math.Exp(-0.6) + 1) * Math.Exp(-0.7);
        var adaptive = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 2), new Tsitouras5(), Adaptive(1e-12) with { Callbacks = callbacks, Save = SaveAt.Times(0.7, 2) });
        Assert.True(Math.Abs(adaptive.FinalState[0] - exact) < 1e-10, $"adaptive {adaptive.FinalState[0]} vs {exact}");
        // A save at a callback time records the state after it, on dense output and on a fixed grid alike.
        Assert.True(Math.Abs(adaptive.State(0)[0] - (Math.Exp(-0.7) + 1)) < 1e-10, $"saved at 0.7: {adaptive.State(0)[0]}");
        var saved = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 2), new RungeKutta4(),
            new SolveOptions { Controller = ConstantStep.WithSteps(64), Callbacks = callbacks, Save = SaveAt.Times(0.7, 2) });
        Assert.True(Math.Abs(saved.State(0)[0] - (Math.Exp(-0.7) + 1)) < 1e-7, $"fixed grid saved at 0.7: {saved.State(0)[0]}");
        var rodas = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 2), new Rodas4(), Adaptive(1e-10) with { Callbacks = callbacks });
        Assert.True(Math.Abs(rodas.FinalState[0] - exact) < 1e-8, $"rodas4 {rodas.FinalState[0]} vs {exact}");
        // 64 steps of 1/32 do not contain 0.7 or 1.3; they become grid points, and RK4's error stays O(h⁴).
        var grid = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 2), new RungeKutta4(),
            new SolveOptions { Controller = ConstantStep.WithSteps(64), Callbacks = callbacks });
        Assert.True(Math.Abs(grid.FinalState[0] - exact) < 1e-7, $"fixed {grid.FinalState[0]} vs {exact}");
        Assert.Equal(66, grid.Statistics.AcceptedSteps);
        // A terminating callback stops the path there.
        var stop = new DiscreteCallbacks([0.5], (i, t, x) => EventAction.Terminate);
        var stopped = DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 2), new Tsitouras5(), Adaptive(1e-12) with { Callbacks = stop, Save = SaveAt.Times(1, 2) });
        Assert.Equal(SolveStatus.Success, stopped.Status);
        Assert.Equal(0.5, stopped.Trajectory!.FinalTime);
        Assert.True(Math.Abs(stopped.State(1)[0] - Math.Exp(-0.5)) < 1e-11);
    }

    [Fact]
    public void Ensemble_event_records_carry_path_indices_and_do_not_depend_on_threads()
    {
        // x' = −x from x₀ = 1 + p/100 crosses 1/2 at t* = ln(2 x₀).
        InitialStates init = (first, n, x) => { for (int p = 0; p < n; p++) x[p] = 1 + (first + p) / 100.0; };
        var events = ContinuousEvents.Create(new Level(0, 0.5), EventDirection.Down);
        Solution Run(IStepSizeController controller, int threads) => DiffEq.Solve(Ode.Problem(new LinearDecay(-1), [1.0], 0, 3, init), new Tsitouras5(),
            new SolveOptions { Controller = controller, Paths = 300, Threads = threads, Events = events, KeepPaths = true });
        foreach (var controller in new IStepSizeController[] { new PidController { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-11 }, ConstantStep.WithSteps(1000) })
        {
            var one = Run(controller, 1);
            var two = Run(controller, 2);
            Assert.Equal(300, one.Events.Count);
            Assert.Equal(one.Events, two.Events);
            double tolerance = controller is ConstantStep ? 2e-6 : 1e-9; // a grid of h = 0.003: linear interpolation errs by ≤ h²/8
            for (int p = 0; p < 300; p++)
            {
                Assert.Equal(p, one.Events[p].Path);
                Assert.True(Math.Abs(one.Events[p].Time - Math.Log(2 * (1 + p / 100.0))) < tolerance, $"path {p}: {one.Events[p].Time}");
                Assert.True(Math.Abs(one.State(0, p)[0] - 0.5) < tolerance, $"path {p} holds {one.State(0, p)[0]}");
            }
        }
    }

    [Fact]
    public void An_event_that_never_fires_leaves_the_bits_of_the_solve_without_events()
    {
        var never = ContinuousEvents.Create(new Level(0, -5), EventDirection.Either);
        var adaptive = Adaptive(1e-8) with { Save = SaveAt.Times(0.5, 1, 2) };
        var a = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 2), new Tsitouras5(), adaptive);
        var b = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 2), new Tsitouras5(), adaptive with { Events = never });
        for (int s = 0; s < 3; s++) Assert.Equal(a.State(s), b.State(s));
        Assert.Empty(b.Events);
        var fixedStep = new SolveOptions { Controller = ConstantStep.WithSteps(100), Save = SaveAt.Times(0.5, 1, 2) };
        var c = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 2), new RungeKutta4(), fixedStep);
        var d = DiffEq.Solve(Ode.Problem(new Oscillator(), [0.0, 1.0], 0, 2), new RungeKutta4(), fixedStep with { Events = never });
        for (int s = 0; s < 3; s++) Assert.Equal(c.State(s), d.State(s));
    }

    [Fact]
    public void Unsupported_combinations_and_bad_input_are_refused_with_their_reason()
    {
        var events = ContinuousEvents.Create(new Level(0, 0.5), EventDirection.Down);
        var problem = Ode.Problem(new LinearDecay(-1), [1.0], 0, 1);
        var e1 = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new RadauIIA5(), Adaptive(1e-6) with { Events = events }));
        Assert.Contains("events", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Tsitouras5(),
            Adaptive(1e-6) with { Callbacks = new DiscreteCallbacks([2.0], (i, t, x) => EventAction.Continue) }));
        Assert.Contains("callback time 2", e2.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ContinuousEvents.Create(new BothComponents(), [EventDirection.Up]));
        Assert.Throws<ArgumentException>(() => new DiscreteCallbacks([double.NaN], (i, t, x) => EventAction.Continue));
        Assert.Throws<ArgumentException>(() => ContinuousEvents.Create(new Level(0, 0)) with { TimeTolerance = -1 });
    }
}
