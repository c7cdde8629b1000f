using Drift.Numerics;
using Drift.Solve;
using Drift.Solve.Stiff;

using static Drift.Tests.Solve.Stiff.StiffOptions;

namespace Drift.Tests.Solve.Stiff;

public class Rodas5PTests
{
    /// <summary>Fixed steps of Rodas5P from (1, 0 or 1) at t = 0 to t = 1: the largest error against the closed form.</summary>
    private static double FixedStepError<TDrift>(TDrift f, double[] y0, double[] exact, int steps) where TDrift : struct, IDrift, IJacobian
    {
        var m = new Rodas5P();
        double h = 1.0 / steps, t = 0;
        var lu = new DenseLu(2);
        double[] y = (double[])y0.Clone(), yNew = new double[2], f0 = new double[2], dfdt = new double[2], err = new double[2], end = new double[2];
        var stages = new double[m.StageRows * 2];
        var scratch = new double[4];
        var j = new double[4];
        for (int k = 0; k < steps; k++)
        {
            f.Jacobian(t, y, j);
            Assert.Equal(-1, lu.Factor([1 / (m.Gamma * h) - j[0], -j[1], -j[2], 1 / (m.Gamma * h) - j[3]]));
            f.Evaluate(t, y, f0, 1);
            m.Step(ref f, lu, t, h, y, f0, dfdt, yNew, err, end, stages, scratch);
            yNew.CopyTo(y, 0);
            t += h;
        }
        return Math.Max(Math.Abs(y[0] - exact[0]), Math.Abs(y[1] - exact[1]));
    }

    /// <summary>
    /// Order 5 on Kaps' nonlinear problem with μ = 1 at h = 1/8 … 1/64 (measured errors 3.9·10⁻⁸, 1.3·10⁻⁹, 4.5·10⁻¹¹,
    /// 1.4·10⁻¹²: slope 4.9), and on the stiff linear system y′ = Ay (eigenvalues −1 and −1000, h·1000 from 250 down to
    /// 125) no order reduction: the error falls faster than h⁵ (measured slope ≈ 12, since the L-stable R(−1000h)ⁿ
    /// vanishes and Rodas5P's stability function matches eᶻ beyond order 5 on the slow mode). In the stiff nonlinear
    /// regime (Kaps with μ = 1000, h·μ ≥ 15) Rosenbrock methods show the known B-convergence order reduction (measured 2.3–3.5).
    /// </summary>
    [Fact]
    public void Fixed_step_order_is_5_and_the_stiff_linear_system_shows_no_order_reduction()
    {
        int[] steps = [8, 16, 32, 64];
        double[] h = [.. steps.Select(n => 1.0 / n)];
        double[] kaps = [.. steps.Select(n => FixedStepError(new Kaps(1), [1.0, 1.0], [Math.Exp(-2), Math.Exp(-1)], n))];
        double slope = StatisticalTests.LogLogSlope(h, kaps);
        Assert.True(slope is > 4.7 and < 5.3, $"slope {slope}, errors {string.Join(", ", kaps)}");

        int[] stiffSteps = [4, 5, 6, 8];
        double[] hs = [.. stiffSteps.Select(n => 1.0 / n)];
        double[] linear = [.. stiffSteps.Select(n => FixedStepError(new StiffLinear(), [1.0, 0.0], StiffLinear.Exact(1), n))];
        double stiffSlope = StatisticalTests.LogLogSlope(hs, linear);
        Assert.True(stiffSlope > 4.7, $"slope {stiffSlope}, errors {string.Join(", ", linear)}");
    }

    /// <summary>Robertson to t = 10⁴: mass conserved at every step to 10⁻¹², final state against Rodas4 at rtol 10⁻¹¹ to 20·rtol.</summary>
    [Fact]
    public void Robertson_conserves_mass_and_matches_a_tight_Rodas4_run()
    {
        var problem = new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 1e4);
        var reference = StiffOde.Solve(problem, new Rodas4(), Tol(1e-11, 1e-19));
        foreach (double rtol in new[] { 1e-6, 1e-8 })
        {
            var s = StiffOde.Solve(problem, new Rodas5P(), Tol(rtol, 1e-4 * rtol, steps: true));
            Assert.Equal(SolveStatus.Success, s.Status);
            for (int k = 0; k < s.Count; k++)
            {
                var x = s.State(k);
                Assert.True(Math.Abs(x[0] + x[1] + x[2] - 1) < 1e-12, $"mass {x[0] + x[1] + x[2]} at t = {s.Times[k]}");
            }
            for (int i = 0; i < 3; i++)
            {
                double r = reference.FinalState[i];
                Assert.True(Math.Abs(s.FinalState[i] - r) < 20 * rtol * Math.Abs(r), $"rtol {rtol}, y{i + 1}: {s.FinalState[i]} vs {r}");
            }
        }
    }

    /// <summary>Van der Pol at μ = 1000 through the relaxation jumps: Rodas5P at rtol 10⁻⁷ against Rodas4 at 10⁻¹⁰, at saved times.</summary>
    [Fact]
    public void Van_der_Pol_at_mu_1000_matches_a_tight_Rodas4_run()
    {
        var times = new[] { 500.0, 1000.0, 1500.0, 2500.0 };
        var problem = new OdeProblem<VanDerPol>(new VanDerPol(1000), [2.0, 0.0], 0, 2500);
        var reference = StiffOde.Solve(problem, new Rodas4(), Tol(1e-10, 1e-10, times));
        var s = StiffOde.Solve(problem, new Rodas5P(), Tol(1e-7, 1e-7, times));
        Assert.Equal(SolveStatus.Success, s.Status);
        for (int k = 0; k < times.Length; k++)
            Assert.True(Math.Abs(s.State(k)[0] - reference.State(k)[0]) < 1e-4, $"y1({times[k]}) = {s.State(k)[0]} vs {reference.State(k)[0]}");
        Assert.True(s.Statistics.AcceptedSteps < reference.Statistics.AcceptedSteps, $"{s.Statistics.AcceptedSteps} steps vs rodas4 at 1e-10: {reference.Statistics.AcceptedSteps}");
    }

    /// <summary>
    /// Prothero–Robinson y′ = λ(y − sin t) + cos t, λ = −10⁶: steps far beyond the explicit limit 3·10⁻⁶, on sin t at the
    /// step points, and between them the dense output is off by at most 0.031 (measured; Rodas4's by 0.26): Steinebach
    /// fitted Rodas5P's interpolant for this problem, but with steps of length ≈ 1 it is still not accurate to the tolerance.
    /// </summary>
    [Fact]
    public void Prothero_Robinson_is_stable_and_its_dense_output_stays_on_the_solution()
    {
        var problem = new OdeProblem<ProtheroRobinson>(new ProtheroRobinson(-1e6), [0.0], 0, 10);
        var steps = StiffOde.Solve(problem, new Rodas5P(), Tol(1e-6, 1e-6, steps: true));
        Assert.Equal(SolveStatus.Success, steps.Status);
        Assert.True(steps.Statistics.AcceptedSteps < 200, $"{steps.Statistics.AcceptedSteps} steps");
        for (int k = 0; k < steps.Count; k++)
            Assert.True(Math.Abs(steps.State(k)[0] - Math.Sin(steps.Times[k])) < 1e-5, $"t = {steps.Times[k]}: {steps.State(k)[0]}");
        var times = Enumerable.Range(1, 100).Select(k => 0.1 * k - 0.05).ToArray();
        var dense = StiffOde.Solve(problem, new Rodas5P(), Tol(1e-6, 1e-6, times));
        double worst = 0;
        for (int k = 0; k < dense.Count; k++) worst = Math.Max(worst, Math.Abs(dense.State(k)[0] - Math.Sin(dense.Times[k])));
        Assert.True(worst < 0.05, $"dense output off by {worst}"); // measured 0.031 (Rodas4: 0.26)
    }

    [Fact]
    public void Dense_output_meets_the_tolerance_between_steps_and_DiffEq_Solve_gives_the_layer_bits()
    {
        var times = Enumerable.Range(1, 99).Select(k => 0.01 * k).ToArray();
        var s = StiffOde.Solve(new OdeProblem<StiffLinear>(default, [1.0, 0.0], 0, 1), new Rodas5P(), Tol(1e-8, 1e-10, times));
        for (int k = 0; k < s.Count; k++)
        {
            var exact = StiffLinear.Exact(s.Times[k]);
            Assert.True(Math.Abs(s.State(k)[0] - exact[0]) < 1e-6, $"t = {s.Times[k]}: {s.State(k)[0]} vs {exact[0]}");
        }
        var controller = new Drift.Solve.Adaptive.PidController { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10 };
        var one = DiffEq.Solve(Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 100), new Rodas5P(), new SolveOptions { Controller = controller });
        var layer = new Rodas5P().Solve(new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 100), new Drift.Solve.Adaptive.AdaptiveOptions { Controller = controller });
        for (int i = 0; i < 3; i++) Assert.Equal(layer.FinalState[i], one.FinalState[i]);
        Assert.Equal(layer.Statistics.Factorizations, one.Statistics.Factorizations);
    }
}
