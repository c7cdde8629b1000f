using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve.Implicit;

/// <summary>
/// Mean-square stability on the stiff linear test SDE dX = λX dt + μX dW, λ = −50, μ = 1 (the SDE is mean-square stable:
/// 2λ + μ² = −99 &lt; 0), h = 0.05: the θ-method multiplies X by (1 + (1 − θ)λh + μΔW)/(1 − θλh) per step, so
/// E|X_n|² = Rⁿ with R(θ) = ((1 + (1 − θ)λh)² + μ²h)/(1 − θλh)² (Higham 2000). Explicit Euler–Maruyama has R = 2.3,
/// θ = ½ has R = 0.0222 and θ = 1 has R = 0.0857. Checked three ways: the one-step map to rounding, Monte Carlo second
/// moments after 4 steps against R⁴ within 5 standard errors (the products' heavy tails make longer horizons
/// uninformative: at θ = ½ the fourth-moment ratio grows 2.4-fold per step), and paths over 200 steps, where every
/// explicit path exceeds 10³⁰ and every implicit one falls below 10⁻³⁰.
/// </summary>
public class MeanSquareStabilityTests
{
    private const double Lambda = -50, Mu = 1, H = 0.05;
    private const int Steps = 4;

    private static double R(double theta) => (Math.Pow(1 + (1 - theta) * Lambda * H, 2) + Mu * Mu * H) / Math.Pow(1 - theta * Lambda * H, 2);

    /// <summary>Higham's condition for R(θ) &lt; 1: (1 − 2θ)λ²h &lt; −(2λ + μ²).</summary>
    private static bool HighamStable(double theta) => (1 - 2 * theta) * Lambda * Lambda * H < -(2 * Lambda + Mu * Mu);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void One_step_is_the_closed_form_map(double theta)
    {
        double[] dW = [-0.3, 0.0, 0.2];
        foreach (bool analytic in new[] { false, true })
        {
            double[] x = [1.0, -2.0, 0.5];
            var expected = x.Select((x0, p) => x0 * (1 + (1 - theta) * Lambda * H + Mu * dW[p]) / (1 - theta * Lambda * H)).ToArray();
            var scratch = new SolverScratch();
            if (analytic)
            {
                var sde = new LinearSdeWithJacobian(Lambda, Mu);
                new ImplicitEulerMaruyama(theta).Step(ref sde, ref sde, scratch, 0.0, H, dW, default, x, 3);
            }
            else
            {
                var sde = new LinearSde(Lambda, Mu);
                new ImplicitEulerMaruyama(theta).Step(ref sde, ref sde, scratch, 0.0, H, dW, default, x, 3);
            }
            for (int p = 0; p < 3; p++)
                Assert.True(Math.Abs(x[p] - expected[p]) <= 1e-9 * Math.Abs(expected[p]), $"θ = {theta}, analytic J {analytic}, path {p}: {x[p]:R} vs {expected[p]:R}");
        }
    }

    [Fact]
    public void Implicit_Milstein_step_is_its_closed_form_map()
    {
        // θ = 1: X·(1 + μΔW + ½μ²(ΔW² − h))/(1 − λh).
        double[] dW = [-0.3, 0.1];
        double[] x = [1.0, 2.0];
        var expected = x.Select((x0, p) => x0 * (1 + Mu * dW[p] + 0.5 * Mu * Mu * (dW[p] * dW[p] - H)) / (1 - Lambda * H)).ToArray();
        var sde = new LinearSdeWithJacobian(Lambda, Mu);
        new ImplicitMilstein(Calculus.Ito).Step(ref sde, ref sde, new SolverScratch(), 0.0, H, dW, default, x, 2);
        for (int p = 0; p < 2; p++) Assert.Equal(expected[p], x[p], 1e-12);
    }

    [Fact]
    public void Second_moments_decay_for_implicit_Euler_and_blow_up_for_explicit_Euler()
    {
        Assert.True(R(0) > 1 && !HighamStable(0), $"explicit Euler–Maruyama: R = {R(0)}");
        Assert.True(R(0.5) < 1 && HighamStable(0.5), $"θ = ½: R = {R(0.5)}");
        Assert.True(R(1) < 1 && HighamStable(1), $"θ = 1: R = {R(1)}");
        CheckSecondMoment(new EulerMaruyama(), R(0));
        CheckSecondMoment(new ImplicitEulerMaruyama(0.5), R(0.5));
        CheckSecondMoment(new ImplicitEulerMaruyama(1.0), R(1));
        Assert.True(FinalMagnitudes(new EulerMaruyama()).Min() > 1e30);
        Assert.True(FinalMagnitudes(new ImplicitEulerMaruyama(0.5)).Max() < 1e-30);
        Assert.True(FinalMagnitudes(new ImplicitEulerMaruyama(1.0)).Max() < 1e-30);
    }

    private static double[] FinalMagnitudes<TS>(TS solver) where TS : struct, ISdeSolver
    {
        var sde = new LinearSde(Lambda, Mu);
        var problem = new SdeProblem<LinearSde, LinearSde>(sde, sde, [1.0], 0, 200 * H);
        var solution = DiffEq.Solve(problem, solver, new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 256, Seed = 5, KeepPaths = true, TrackQuantiles = false });
        Assert.Equal(SolveStatus.Success, solution.Status);
        return solution.PathsAt(solution.Times.Count - 1, 0).ToArray().Select(Math.Abs).ToArray();
    }

    private static void CheckSecondMoment<TS>(TS solver, double r) where TS : struct, ISdeSolver
    {
        var sde = new LinearSde(Lambda, Mu);
        var problem = new SdeProblem<LinearSde, LinearSde>(sde, sde, [1.0], 0, Steps * H);
        var solution = DiffEq.Solve(problem, solver, new SolveOptions { Controller = ConstantStep.WithSteps(Steps), Paths = 16384, Seed = 7, KeepPaths = true, TrackQuantiles = false });
        Assert.Equal(SolveStatus.Success, solution.Status);
        var squares = solution.PathsAt(solution.Times.Count - 1, 0).ToArray().Select(v => v * v).ToArray();
        double mean = squares.Average();
        double se = Math.Sqrt(squares.Select(s => (s - mean) * (s - mean)).Sum() / (squares.Length - 1) / squares.Length);
        double exact = Math.Pow(r, Steps);
        Assert.True(Math.Abs(mean - exact) <= 5 * se, $"{solver.Name}: E|X_N|² = {mean:E4} ± {se:E2}, exact Rⁿ = {exact:E4}");
    }
}
