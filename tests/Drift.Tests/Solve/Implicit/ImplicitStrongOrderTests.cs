using Drift.Brownian;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve.Implicit;

/// <summary>
/// Strong orders of the implicit solvers, measured on one Brownian path per sample shared across step sizes
/// (<see cref="NestedBrownianIncrements"/>): E|X_N − X(T)| for N = 4 … 64 against the closed form
/// X_T = x0 exp((λ − μ²/2)T + μW_T) of dX = λX dt + μX dW, or against a 512-step self-reference for nonlinear
/// additive noise; fitted log-log slopes within ±0.25 of theory.
/// </summary>
public class ImplicitStrongOrderTests
{
    private const int Fine = 512;
    private const int Paths = 200;
    private static readonly int[] StepCounts = [4, 8, 16, 32, 64];

    private static double[] Final<TF, TG, TS>(SdeProblem<TF, TG> problem, TS solver, int steps)
        where TF : struct, IDrift where TG : struct, IDiffusion where TS : struct, ISdeSolver
    {
        var brownian = new NestedBrownianIncrements(2024, problem.T0, problem.T1, Fine);
        var solution = DiffEq.Solve(problem, solver, brownian, new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = Paths, KeepPaths = true, TrackQuantiles = false });
        Assert.True(solution.Status == SolveStatus.Success, $"{solver.Name}, {steps} steps: {solution.Message}");
        return solution.PathsAt(solution.Times.Count - 1, 0).ToArray();
    }

    private static double Slope<TF, TG, TS>(SdeProblem<TF, TG> problem, TS solver, double[] reference)
        where TF : struct, IDrift where TG : struct, IDiffusion where TS : struct, ISdeSolver
    {
        var h = new List<double>();
        var error = new List<double>();
        foreach (int n in StepCounts)
        {
            var x = Final(problem, solver, n);
            h.Add((problem.T1 - problem.T0) / n);
            error.Add(x.Zip(reference, (a, b) => Math.Abs(a - b)).Average());
        }
        return StatisticalTests.LogLogSlope(h, error);
    }

    private static void AssertOrder(double expected, double measured, string what) =>
        Assert.True(Math.Abs(measured - expected) <= 0.25, $"{what}: measured strong order {measured:F3}, theory {expected}");

    [Fact]
    public void Theta_methods_on_linear_multiplicative_noise_against_the_closed_form()
    {
        // λ = −1, μ = 1.5: X_T = exp((λ − μ²/2)T + μW_T); the noise's error dominates from N = 4 on.
        var gbm = new GeometricBrownianMotion(-1.0, 1.5);
        var problem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
        var w = Final(new SdeProblem<ScalarSde, ScalarSde>(Unit, Unit, [0.0], 0, 1), new EulerMaruyama(), 1);
        var exact = w.Select(wt => gbm.Exact(1.0, 1.0, wt)).ToArray();
        AssertOrder(0.5, Slope(problem, new ImplicitEulerMaruyama(), exact), "implicit Euler–Maruyama θ = 1, GBM");
        AssertOrder(0.5, Slope(problem, new ImplicitEulerMaruyama(0.5), exact), "implicit Euler–Maruyama θ = ½, GBM");
        AssertOrder(1.0, Slope(problem, new ImplicitMilstein(Calculus.Ito), exact), "implicit Milstein θ = 1, GBM");
        AssertOrder(1.0, Slope(problem, new ImplicitMilstein(Calculus.Ito, 0.5), exact), "implicit Milstein θ = ½, GBM");
    }

    /// <summary>dX = dW: Euler–Maruyama in one step returns W_T.</summary>
    private static readonly ScalarSde Unit = new((_, _) => 0.0, (_, _) => 1.0, NoiseKind.Additive);

    [Fact]
    public void Additive_noise_orders_against_a_fine_self_reference()
    {
        var nonlinear = new ScalarSde((t, x) => -Math.Sin(3 * x) - 2 * x + Math.Cos(t), (t, _) => 0.5 + 0.5 * t, NoiseKind.Additive);
        var problem = new SdeProblem<ScalarSde, ScalarSde>(nonlinear, nonlinear, [0.3], 0, 1);
        AssertOrder(1.0, Slope(problem, new ImplicitEulerMaruyama(), Final(problem, new ImplicitEulerMaruyama(), Fine)), "implicit Euler–Maruyama, nonlinear additive");
        // SKenCarp's stage noise coefficients (β₂₁ ≈ −12.2, β₄₃ ≈ −14.4) put its stages about 7σ√h away from X, so on a
        // drift that bends on a scale of 1/3 its asymptotic regime needs σ√h ≪ 1/20: measured with σ = 0.1(1 + t)
        // (with σ = 0.5(1 + t) the slope over N = 4 … 64 is ≈ 0.9 and the error at N = 64 is 45× SRA1's).
        var quiet = new ScalarSde((t, x) => -Math.Sin(3 * x) - 2 * x + Math.Cos(t), (t, _) => 0.1 + 0.1 * t, NoiseKind.Additive);
        var quietProblem = new SdeProblem<ScalarSde, ScalarSde>(quiet, quiet, [0.3], 0, 1);
        AssertOrder(1.5, Slope(quietProblem, new SKenCarp(), Final(quietProblem, new SKenCarp(), Fine)), "SKenCarp, nonlinear additive");
    }

    [Fact]
    public void Theta_zero_is_the_explicit_method_bit_for_bit()
    {
        var gbm = new GeometricBrownianMotion(0.5, 0.8);
        var problem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
        Assert.Equal(Final(problem, new EulerMaruyama(), 16), Final(problem, new ImplicitEulerMaruyama(0.0), 16));
        Assert.Equal(Final(problem, new Milstein(Calculus.Ito), 16), Final(problem, new ImplicitMilstein(Calculus.Ito, 0.0), 16));
    }
}
