using Drift.Numerics;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

using static Drift.Tests.Solve.Stiff.StiffOptions;

namespace Drift.Tests.Solve.Stiff;

public class RosenbrockTests
{
    /// <summary>Fixed steps of <paramref name="m"/> on the stiff linear system (h·1000 from 12.5 to 100): error at t = 1 against the closed form.</summary>
    private static double FixedStepError<TMethod>(TMethod m, int steps) where TMethod : struct, IRosenbrockMethod
    {
        var f = new StiffLinear();
        double h = 1.0 / steps, t = 0;
        var lu = new DenseLu(2);
        double[] y = [1.0, 0.0], yNew = new double[2], f0 = new double[2], dfdt = new double[2], err = new double[2], end = new double[2];
        var stages = new double[m.StageRows * 2];
        var scratch = new double[4];
        double[] w = [1 / (m.Gamma * h) - 998, -1998, 999, 1 / (m.Gamma * h) + 1999];
        Assert.Equal(-1, lu.Factor(w));
        for (int k = 0; k < steps; k++)
        {
            f.Evaluate(t, y, f0, 1);
            m.Step(ref f, lu, t, h, y, f0, dfdt, yNew, err, end, stages, scratch);
            yNew.CopyTo(y, 0);
            t += h;
        }
        var exact = StiffLinear.Exact(1);
        return Math.Max(Math.Abs(y[0] - exact[0]), Math.Abs(y[1] - exact[1]));
    }

    [Fact]
    public void Fixed_step_orders_on_a_stiff_linear_system_are_2_and_4()
    {
        int[] steps = [10, 20, 40, 80];
        double[] h = [.. steps.Select(n => 1.0 / n)];
        double slope23 = StatisticalTests.LogLogSlope(h, [.. steps.Select(n => FixedStepError(new Rosenbrock23(), n))]);
        double slope4 = StatisticalTests.LogLogSlope(h, [.. steps.Select(n => FixedStepError(new Rodas4(), n))]);
        Assert.InRange(slope23, 1.75, 2.25);
        Assert.InRange(slope4, 3.75, 4.25);
    }

    [Fact]
    public void Robertson_conserves_mass_and_matches_a_tight_reference()
    {
        var problem = new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 1e4);
        var reference = StiffOde.Solve(problem, new Rodas4(), Tol(1e-12, 1e-20));
        var cross = StiffOde.Solve(problem, new Rosenbrock23(), Tol(1e-9, 1e-16));
        Assert.Equal(SolveStatus.Success, reference.Status);
        Assert.Equal(SolveStatus.Success, cross.Status);
        foreach (var (method, rtol) in new (string, double)[] { ("rodas4", 1e-6), ("rosenbrock23", 1e-4) })
        {
            var s = method == "rodas4" ? StiffOde.Solve(problem, new Rodas4(), Tol(rtol, 1e-10, steps: true)) : StiffOde.Solve(problem, new Rosenbrock23(), Tol(rtol, 1e-10, steps: true));
            Assert.Equal(SolveStatus.Success, s.Status);
            for (int k = 0; k < s.Count; k++)
            {
                var x = s.State(k);
                Assert.True(Math.Abs(x[0] + x[1] + x[2] - 1) < 1e-12, $"{method}: mass {x[0] + x[1] + x[2]} at t = {s.Times[k]}");
            }
            for (int i = 0; i < 3; i++)
            {
                double r = reference.FinalState[i];
                Assert.True(Math.Abs(s.FinalState[i] - r) < 20 * rtol * Math.Abs(r) + 1e-9, $"{method}, y{i + 1}: {s.FinalState[i]} vs {r}");
            }
            Assert.True(s.Statistics.AcceptedSteps < 2000, $"{method}: {s.Statistics.AcceptedSteps} steps");
            Assert.True(s.Statistics.Factorizations >= s.Statistics.AcceptedSteps);
        }
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(cross.FinalState[i] - reference.FinalState[i]) < 1e-7 * Math.Abs(reference.FinalState[i]), $"y{i + 1}: rosenbrock23 {cross.FinalState[i]} vs rodas4 {reference.FinalState[i]}");
    }

    [Fact]
    public void Finite_difference_Jacobians_give_the_same_solution()
    {
        var analytic = StiffOde.Solve(new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 100), new Rodas4(), Tol(1e-8, 1e-14));
        var numeric = StiffOde.Solve(new OdeProblem<RobertsonNoJacobian>(default, [1.0, 0.0, 0.0], 0, 100), new Rodas4(), Tol(1e-8, 1e-14));
        Assert.Equal(SolveStatus.Success, numeric.Status);
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(analytic.FinalState[i] - numeric.FinalState[i]) < 1e-6 * Math.Abs(analytic.FinalState[i]), $"y{i + 1}: {numeric.FinalState[i]} vs {analytic.FinalState[i]}");
        // Each numerical Jacobian costs d = 3 evaluations, and ∂f/∂t one more.
        Assert.True(numeric.Statistics.FunctionEvaluations >= 4 * numeric.Statistics.JacobianEvaluations + 5 * numeric.Statistics.AcceptedSteps);
    }

    /// <summary>
    /// Van der Pol at μ = 1000 (very stiff): solved, and its limit-cycle period matches the asymptotic expansion
    /// T = (3 − 2 ln 2)μ + 3a·μ^(−1/3) + O(ln μ / μ), a = 2.338107 the first zero of −Ai (Dorodnicyn 1947), i.e. 1614.33.
    /// </summary>
    [Fact]
    public void Van_der_Pol_at_mu_1000_is_solved_and_its_period_matches_the_asymptotics()
    {
        const double mu = 1000;
        var s = StiffOde.Solve(new OdeProblem<VanDerPol>(new VanDerPol(mu), [2.0, 0.0], 0, 3500), new Rodas4(), Tol(1e-8, 1e-8, steps: true));
        Assert.Equal(SolveStatus.Success, s.Status);
        var crossings = new List<double>();
        for (int k = 1; k < s.Count; k++)
        {
            double a = s.State(k - 1)[0], b = s.State(k)[0];
            if (a > 0 && b <= 0) crossings.Add(s.Times[k - 1] + (s.Times[k] - s.Times[k - 1]) * a / (a - b));
        }
        Assert.Equal(2, crossings.Count);
        double period = crossings[1] - crossings[0];
        double asymptotic = (3 - 2 * Math.Log(2)) * mu + 3 * 2.338107410459767 * Math.Pow(mu, -1.0 / 3);
        Assert.True(Math.Abs(period - asymptotic) < 0.05, $"period {period} vs {asymptotic}");
        Assert.True(s.Statistics.AcceptedSteps < 5000, $"{s.Statistics.AcceptedSteps} steps");
    }

    /// <summary>
    /// Prothero–Robinson with λ = −10⁶: an explicit method needs h &lt; 3·10⁻⁶; the L-stable methods take steps of order
    /// 0.1–1 and stay on y = sin t — Rodas4 at its step points (its dense output is not stiffly accurate here: between
    /// steps of length ≈ 1 it is off by up to 0.26, a known limit of the Rodas4 interpolant), Rosenbrock23 also between them.
    /// </summary>
    [Fact]
    public void Prothero_Robinson_is_solved_with_steps_far_beyond_the_explicit_limit()
    {
        var problem = new OdeProblem<ProtheroRobinson>(new ProtheroRobinson(-1e6), [0.0], 0, 10);
        var times = Enumerable.Range(1, 100).Select(k => 0.1 * k).ToArray();
        foreach (var (name, s) in new[] { ("rodas4", StiffOde.Solve(problem, new Rodas4(), Tol(1e-6, 1e-6, steps: true))), ("rosenbrock23", StiffOde.Solve(problem, new Rosenbrock23(), Tol(1e-6, 1e-6, times))) })
        {
            Assert.Equal(SolveStatus.Success, s.Status);
            // An explicit method would need at least 10 / (3·10⁻⁶) ≈ 3·10⁶ steps; accuracy alone limits these (rodas4: 11, rosenbrock23: ~3800).
            Assert.True(s.Statistics.AcceptedSteps < 10_000, $"{name}: {s.Statistics.AcceptedSteps} steps");
            for (int k = 0; k < s.Count; k++)
                Assert.True(Math.Abs(s.State(k)[0] - Math.Sin(s.Times[k])) < 1e-5, $"{name}, t = {s.Times[k]}: {s.State(k)[0]} vs {Math.Sin(s.Times[k])}");
        }
    }

    [Fact]
    public void Dense_output_meets_the_tolerance_between_steps()
    {
        var times = Enumerable.Range(1, 99).Select(k => 0.01 * k).ToArray();
        var s = StiffOde.Solve(new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1), new Rodas4(), Tol(1e-8, 1e-10, times));
        Assert.Equal(times.Length, s.Count);
        for (int k = 0; k < s.Count; k++)
        {
            var exact = StiffLinear.Exact(s.Times[k]);
            Assert.True(Math.Abs(s.State(k)[0] - exact[0]) < 1e-6, $"t = {s.Times[k]}: {s.State(k)[0]} vs {exact[0]}");
        }
    }

    [Fact]
    public void A_singular_iteration_matrix_stops_with_a_status_naming_time_and_component()
    {
        var s = StiffOde.Solve(new OdeProblem<BrokenJacobian>(default, [1.0, 1.0], 0, 1), new Rodas4());
        Assert.Equal(SolveStatus.SingularJacobian, s.Status);
        Assert.Contains("t = 0", s.Message);
        Assert.Contains("component 1", s.Message);
    }

    [Fact]
    public void Dense_LU_solves_and_reports_singular_columns()
    {
        double[] a = [4, -2, 1, 0, 3, 1, -1, 2, 0, 5, 2, 1, 1, 0, -3, 6];
        double[] x = [1, -2, 3, 0.5];
        var b = new double[4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) b[i] += a[i * 4 + j] * x[j];
        var lu = new DenseLu(4);
        Assert.Equal(-1, lu.Factor(a));
        lu.Solve(b);
        for (int i = 0; i < 4; i++) Assert.Equal(x[i], b[i], 12);
        Assert.Equal(1, new DenseLu(3).Factor([1, 2, 0, 2, 4, 0, 0, 0, 1]));
    }
}
