using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

using static Drift.Tests.Solve.Stiff.StiffOptions;

namespace Drift.Tests.Solve.Stiff;

/// <summary>Radau IIA (order 5, RADAU5's strategy) and the variable-order BDF/NDF: orders, stiff benchmarks, statistics, failures.</summary>
public class ImplicitTests
{
    [Fact]
    public void Radau_fixed_step_order_on_a_stiff_linear_system_is_5()
    {
        int[] steps = [4, 8, 16, 32];
        var errors = new double[steps.Length];
        for (int k = 0; k < steps.Length; k++)
        {
            var options = new AdaptiveOptions { Controller = new PidController { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13, FixedStep = 1.0 / steps[k] } };
            var s = new RadauIIA5().Solve(new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1), options);
            Assert.Equal(SolveStatus.Success, s.Status);
            Assert.Equal(steps[k], s.Statistics.AcceptedSteps);
            var exact = StiffLinear.Exact(1);
            errors[k] = Math.Max(Math.Abs(s.FinalState[0] - exact[0]), Math.Abs(s.FinalState[1] - exact[1]));
        }
        double slope = StatisticalTests.LogLogSlope([.. steps.Select(n => 1.0 / n)], errors);
        Assert.True(slope is > 4.7 and < 5.3, $"slope {slope}, errors {string.Join(", ", errors)}");
    }

    /// <summary>Each BDF/NDF formula of order k, on fixed steps from exact history (eigenvalues −1 and −1000, h·1000 from 6 to 50), converges with order k.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Bdf_fixed_step_order_k_converges_with_order_k(int order)
    {
        int[] steps = [20, 40, 80, 160];
        var errors = new double[steps.Length];
        const double t0 = 0.5, t1 = 1.5;
        for (int k = 0; k < steps.Length; k++)
        {
            double h = (t1 - t0) / steps[k];
            var past = Enumerable.Range(0, order + 1).Select(j => StiffLinear.Exact(t0 - j * h)).ToArray();
            var y = Bdf.FixedSteps(new StiffLinear(), past, t0, h, order, steps[k]);
            var exact = StiffLinear.Exact(t1);
            errors[k] = Math.Max(Math.Abs(y[0] - exact[0]), Math.Abs(y[1] - exact[1]));
        }
        double slope = StatisticalTests.LogLogSlope([.. steps.Select(n => 1.0 / n)], errors);
        Assert.True(Math.Abs(slope - order) < 0.3, $"order {order}: slope {slope}, errors {string.Join(", ", errors)}");
    }

    /// <summary>
    /// Robertson to t = 10⁵: the published values at t = 40 (Hairer &amp; Wanner II §IV.1: 0.7158270687, 9.185534764·10⁻⁶,
    /// 0.2841637457), mass conserved, and the final state against Rodas4 at rtol 10⁻¹⁰ (which agrees with Rodas4 at 10⁻¹² to 10⁻¹¹ relative).
    /// </summary>
    [Theory]
    [InlineData("radau")]
    [InlineData("bdf")]
    public void Robertson_matches_the_published_values_and_a_tight_Rodas4_run(string method)
    {
        var problem = new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 1e5);
        var reference = StiffOde.Solve(problem, new Rodas4(), Tol(1e-10, 1e-18));
        Assert.Equal(SolveStatus.Success, reference.Status);
        double rtol = 1e-8;
        var options = Tol(rtol, 1e-14, [40.0, 1e5]);
        var s = method == "radau" ? new RadauIIA5().Solve(problem, options) : new Bdf().Solve(problem, options);
        Assert.Equal(SolveStatus.Success, s.Status);
        double[] published = [0.7158270687, 9.185534764e-6, 0.2841637457];
        var at40 = s.State(0);
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(at40[i] - published[i]) < 100 * rtol * published[i], $"{method}, y{i + 1}(40) = {at40[i]} vs {published[i]}");
        var final = s.State(1);
        Assert.True(Math.Abs(final[0] + final[1] + final[2] - 1) < 1e-12, $"{method}: mass {final[0] + final[1] + final[2]}");
        for (int i = 0; i < 3; i++)
        {
            double r = reference.FinalState[i];
            Assert.True(Math.Abs(final[i] - r) < 100 * rtol * Math.Abs(r), $"{method}, y{i + 1}(1e5) = {final[i]} vs rodas4 {r}");
        }
        var st = s.Statistics;
        Assert.True(st.AcceptedSteps < 3000, $"{method}: {st.AcceptedSteps} steps");
        // Jacobians are reused: fewer than one per accepted step.
        Assert.True(st.JacobianEvaluations > 0 && st.JacobianEvaluations < st.AcceptedSteps, $"{method}: {st.JacobianEvaluations} Jacobians, {st.AcceptedSteps} steps");
        Assert.True(st.Factorizations > 0 && st.Factorizations <= st.AcceptedSteps + st.RejectedSteps, $"{method}: {st.Factorizations} LU");
    }

    /// <summary>Van der Pol at μ = 1000 over [0, 3000] (one and a half relaxation periods) at step points and saved times, against Rodas4 at rtol 10⁻¹⁰.</summary>
    [Theory]
    [InlineData("radau", 1e-7)]
    [InlineData("bdf", 1e-6)]
    public void Van_der_Pol_at_mu_1000_matches_a_tight_Rodas4_run(string method, double rtol)
    {
        var times = new[] { 500.0, 1000.0, 1500.0, 2500.0 };
        var problem = new OdeProblem<VanDerPol>(new VanDerPol(1000), [2.0, 0.0], 0, 2500);
        var reference = StiffOde.Solve(problem, new Rodas4(), Tol(1e-10, 1e-10, times));
        Assert.Equal(SolveStatus.Success, reference.Status);
        var options = Tol(rtol, rtol, times);
        var s = method == "radau" ? new RadauIIA5().Solve(problem, options) : new Bdf().Solve(problem, options);
        Assert.Equal(SolveStatus.Success, s.Status);
        for (int k = 0; k < times.Length; k++)
        {
            double r = reference.State(k)[0], v = s.State(k)[0];
            Assert.True(Math.Abs(v - r) < 1000 * rtol, $"{method}, y1({times[k]}) = {v} vs rodas4 {r}");
        }
        Assert.True(s.Statistics.AcceptedSteps < 5000, $"{method}: {s.Statistics.AcceptedSteps} steps");
    }

    [Fact]
    public void Finite_difference_Jacobians_give_the_same_solution()
    {
        var withJacobian = new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 100);
        var without = new OdeProblem<RobertsonNoJacobian>(default, [1.0, 0.0, 0.0], 0, 100);
        foreach (var (a, n) in new[] { (new RadauIIA5().Solve(withJacobian, Tol(1e-8, 1e-14)), new RadauIIA5().Solve(without, Tol(1e-8, 1e-14))),
                                      (new Bdf().Solve(withJacobian, Tol(1e-8, 1e-14)), new Bdf().Solve(without, Tol(1e-8, 1e-14))) })
        {
            Assert.Equal(SolveStatus.Success, n.Status);
            for (int i = 0; i < 3; i++)
                Assert.True(Math.Abs(a.FinalState[i] - n.FinalState[i]) < 1e-6 * Math.Abs(a.FinalState[i]), $"y{i + 1}: {n.FinalState[i]} vs {a.FinalState[i]}");
            // Each numerical Jacobian costs d = 3 evaluations.
            Assert.True(n.Statistics.FunctionEvaluations >= 3 * n.Statistics.JacobianEvaluations + n.Statistics.AcceptedSteps);
        }
    }

    [Fact]
    public void Radau_and_BDF_dense_output_follows_the_solution_between_steps()
    {
        var times = Enumerable.Range(1, 99).Select(k => 0.01 * k).ToArray();
        foreach (var s in new[] { new RadauIIA5().Solve(new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1), Tol(1e-8, 1e-10, times)),
                                  new Bdf().Solve(new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1), Tol(1e-8, 1e-10, times)) })
        {
            Assert.Equal(times.Length, s.Count);
            for (int k = 0; k < s.Count; k++)
            {
                var exact = StiffLinear.Exact(s.Times[k]);
                Assert.True(Math.Abs(s.State(k)[0] - exact[0]) < 1e-6, $"t = {s.Times[k]}: {s.State(k)[0]} vs {exact[0]}");
            }
        }
    }

    [Fact]
    public void Prothero_Robinson_is_solved_with_large_steps()
    {
        var problem = new OdeProblem<ProtheroRobinson>(new ProtheroRobinson(-1e6), [0.0], 0, 10);
        foreach (var s in new[] { new RadauIIA5().Solve(problem, Tol(1e-6, 1e-6, steps: true)), new Bdf().Solve(problem, Tol(1e-6, 1e-6, steps: true)) })
        {
            Assert.Equal(SolveStatus.Success, s.Status);
            Assert.True(s.Statistics.AcceptedSteps < 10_000, $"{s.Statistics.AcceptedSteps} steps");
            for (int k = 0; k < s.Count; k++)
                Assert.True(Math.Abs(s.State(k)[0] - Math.Sin(s.Times[k])) < 1e-5, $"t = {s.Times[k]}: {s.State(k)[0]}");
        }
    }

    [Fact]
    public void A_singular_iteration_matrix_stops_with_SingularJacobian()
    {
        var problem = new OdeProblem<BrokenJacobian>(default, [1.0, 1.0], 0, 1);
        foreach (var s in new[] { new RadauIIA5().Solve(problem), new Bdf().Solve(problem) })
        {
            Assert.Equal(SolveStatus.SingularJacobian, s.Status);
            Assert.Contains("t = 0", s.Message);
            Assert.Contains("component", s.Message);
        }
    }

    [Fact]
    public void A_solution_that_blows_up_stops_with_StepSizeTooSmall()
    {
        // y' = y², y(0) = 1: y = 1/(1 − t) blows up at t = 1.
        var problem = new OdeProblem<Blowup>(default, [1.0], 0, 2);
        foreach (var s in new[] { new RadauIIA5().Solve(problem), new Bdf().Solve(problem) })
        {
            Assert.True(s.Status is SolveStatus.StepTooSmall or SolveStatus.NonFinite, $"{s.Status}: {s.Message}");
            Assert.InRange(s.FinalTime, 0.99, 1.001);
            Assert.Contains("below the minimum", s.Message);
        }
    }

    [Fact]
    public void Bad_settings_are_argument_exceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bdf(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bdf(0));
        var problem = new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1);
        Assert.Throws<ArgumentException>(() => new Bdf().Solve(problem, new AdaptiveOptions { Controller = new PidController { FixedStep = 0.1 } }));
        Assert.Throws<ArgumentException>(() => new RadauIIA5().Solve(problem, new AdaptiveOptions { SaveTimes = [2.0] }));
    }

    [Fact]
    public void Every_stiff_method_is_reached_through_DiffEq_Solve_with_the_same_bits_and_its_work_counted()
    {
        var problem = Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 100);
        var controller = new PidController { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10 };
        var options = new SolveOptions { Controller = controller };
        var direct = new AdaptiveOptions { Controller = controller };
        Check(new Rosenbrock23());
        Check(new Rodas4());
        Check(new RadauIIA5());
        Check(new Bdf());

        void Check<TMethod>(TMethod method) where TMethod : struct, IStiffMethod
        {
            var one = DiffEq.Solve(problem, method, options);
            var layer = method.Solve(new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 100), direct);
            Assert.Equal(SolveStatus.Success, one.Status);
            for (int i = 0; i < 3; i++) Assert.Equal(layer.FinalState[i], one.FinalState[i]);
            Assert.Equal(layer.Statistics.AcceptedSteps, one.Statistics.AcceptedSteps);
            Assert.Equal(layer.Statistics.JacobianEvaluations, one.Statistics.JacobianEvaluations);
            Assert.Equal(layer.Statistics.Factorizations, one.Statistics.Factorizations);
            Assert.True(one.Statistics.JacobianEvaluations > 0 && one.Statistics.Factorizations > 0, method.Name);
        }
    }

    [Fact]
    public void DiffEq_runs_a_stiff_ensemble_path_by_path_and_reports_failures_with_the_shared_status()
    {
        InitialStates init = (first, n, x) => { for (int p = 0; p < n; p++) { x[p] = 1.0 + 0.1 * (first + p); x[n + p] = 0; } };
        var problem = Ode.Problem(new VanDerPol(10), [2.0, 0.0], 0, 5, init);
        var controller = new PidController { RelativeTolerance = 1e-7, AbsoluteTolerance = 1e-9 };
        var ensemble = DiffEq.Solve(problem, new Bdf(), new SolveOptions { Controller = controller, Paths = 4, KeepPaths = true, Threads = 2 });
        Assert.Equal(SolveStatus.Success, ensemble.Status);
        for (int p = 0; p < 4; p++)
        {
            var alone = new Bdf().Solve(new OdeProblem<VanDerPol>(new VanDerPol(10), [1.0 + 0.1 * p, 0.0], 0, 5), new AdaptiveOptions { Controller = controller });
            Assert.Equal(alone.FinalState[0], ensemble.State(0, p)[0]);
        }

        var broken = DiffEq.Solve(Ode.Problem(default(BrokenJacobian), [1.0, 1.0], 0, 1), new RadauIIA5(), new SolveOptions { Controller = new PidController() });
        Assert.Equal(SolveStatus.SingularJacobian, broken.Status);
        Assert.Contains("singular", broken.Message);
        var badSave = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Bdf(), new SolveOptions { Controller = controller with { FixedStep = 0.1 }, Paths = 4 }));
        Assert.Contains("FixedStep", badSave.Message);
        var fixedStep = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new RadauIIA5(), new SolveOptions { Controller = ConstantStep.WithSteps(10) }));
        Assert.Contains("radau", fixedStep.Message);
    }

    private readonly struct Blowup : IDrift, IJacobian
    {
        public int Dimension => 1;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => dx[0] = x[0] * x[0];
        public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j) => j[0] = 2 * x[0];
    }
}
