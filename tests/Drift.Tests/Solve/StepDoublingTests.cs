using Drift.Brownian;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;
using Drift.Tests.Ensembles;
using Xunit.Abstractions;

namespace Drift.Tests.Solve;

/// <summary>
/// Step doubling (<see cref="StepDoubling{TSolver}"/>): its error estimate has the order the controller assumes,
/// the full step it compares with is the inner solver's full step on the same Brownian path, and adaptive
/// Euler–Maruyama and Milstein through the one call meet the tolerance asked on GBM, whose exact solution is known.
/// </summary>
public class StepDoublingTests(ITestOutputHelper output)
{
    private const double Mu = 1.0, Sigma = 1.5;

    /// <summary>RMS of the estimate X_half − X_full over n independent GBM steps of size h from x = 1.</summary>
    private static double EstimateRms<TSolver>(TSolver inner, double h, int n) where TSolver : struct, ISdeSolver
    {
        var solver = new StepDoubling<TSolver>(inner);
        var gbm = new GeometricBrownianMotion(Mu, Sigma);
        var diffusion = gbm;
        var x = new double[n];
        Array.Fill(x, 1.0);
        var dW = new double[2 * n];
        var random = new System.Random(5);
        for (int j = 0; j < dW.Length; j++)
        {
            // Box–Muller, independent of the library's generators.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            dW[j] = Math.Sqrt(h / 2) * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        var e1 = new double[n];
        var e2 = new double[n];
        solver.StepWithError(ref gbm, ref diffusion, new SolverScratch(), 0.0, h, dW, default, x, n, e1, e2);
        Assert.All(e1, e => Assert.Equal(0.0, e));
        return Math.Sqrt(e2.Sum(e => e * e) / n);
    }

    private static double Slope(double[] hs, double[] values)
    {
        var lx = hs.Select(v => Math.Log(v)).ToArray();
        var ly = values.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        return lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my)) / lx.Sum(v => (v - mx) * (v - mx));
    }

    [Theory]
    [InlineData("euler", 1.0)]
    [InlineData("milstein", 1.5)]
    public void The_estimate_has_order_p_plus_a_half(string name, double expected)
    {
        double[] hs = [1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128, 1.0 / 256];
        var rms = hs.Select(h => name == "euler" ? EstimateRms(new EulerMaruyama(), h, 20_000) : EstimateRms(new Milstein(Calculus.Ito), h, 20_000)).ToArray();
        double slope = Slope(hs, rms);
        output.WriteLine($"{name}: RMS estimate {string.Join(", ", rms.Select(r => r.ToString("E3")))}; slope {slope:F3}");
        Assert.InRange(slope, expected - 0.25, expected + 0.25);
    }

    [Fact]
    public void The_full_step_is_the_inner_solvers_step_over_the_joined_increments_and_areas()
    {
        // SRA1 needs Lévy areas, so this also checks H(t, t + h) = (H₁ + H₂)/2 + (ΔW₁ − ΔW₂)/4 against the tree.
        var ou = new OrnsteinUhlenbeck(theta: 2.0, mu: 1.0, sigma: 0.5);
        var tree = new BrownianTree(3, 0, 1, 0, 1);
        Span<double> halves = stackalloc double[2], areas = stackalloc double[2], whole = stackalloc double[1], area = stackalloc double[1];
        double t = 0.3, h = 0.125;
        tree.Increment(t, t + h / 2, halves[..1], areas[..1]);
        tree.Increment(t + h / 2, t + h, halves[1..], areas[1..]);
        tree.Increment(t, t + h, whole, area);
        var (drift, diffusion) = (ou, ou);
        double[] x = [0.7], e1 = [0.0], e2 = [0.0];
        new StepDoubling<Sra1>(new Sra1()).StepWithError(ref drift, ref diffusion, new SolverScratch(), t, h, halves, areas, x, 1, e1, e2);
        double[] full = [0.7];
        new Sra1().Step(ref drift, ref diffusion, new SolverScratch(), t, h, whole, area, full, 1);
        Assert.Equal(full[0], x[0] - e2[0], 1e-13);
        double[] half = [0.7];
        new Sra1().Step(ref drift, ref diffusion, new SolverScratch(), t, h / 2, halves[..1], areas[..1], half, 1);
        new Sra1().Step(ref drift, ref diffusion, new SolverScratch(), t + h / 2, h / 2, halves[1..], areas[1..], half, 1);
        Assert.Equal(half[0], x[0]);
    }

    [Fact]
    public void Stateful_solvers_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new StepDoubling<ReversibleHeun>(new ReversibleHeun()));
        Assert.Contains("reversible-heun", e.Message);
    }

    /// <summary>Mean |X(1) − exact| over paths; the exact solution from the witness component Y = W(1) of each path.</summary>
    private static double StrongError(EnsembleSolution s, Calculus calculus)
    {
        var x = s.PathsAt(0, 0);
        var w = s.PathsAt(0, 1);
        double drift = calculus == Calculus.Ito ? Mu - 0.5 * Sigma * Sigma : Mu, sum = 0;
        for (int p = 0; p < x.Length; p++) sum += Math.Abs(x[p] - Math.Exp(drift + Sigma * w[p]));
        return sum / x.Length;
    }

    /// <summary>
    /// Adaptive step doubling through the one call on Stratonovich GBM (μ = 1, σ = 1.5), whose solution
    /// exp(μt + σW) is known on every path: the strong error falls at every tightening of the tolerance, as
    /// rtol^(p/(p+½)) = rtol^(2/3) for these strong-order-1 solvers (fitted slope ± 0.25), and at the tightest
    /// tolerance beats the fixed grid with as many steps on the same Brownian paths (the tree's).
    /// </summary>
    [Theory]
    [InlineData("milstein-strat")]
    [InlineData("heun")]
    public void Adaptive_step_doubling_meets_the_tolerance_on_GBM(string name)
    {
        const int paths = 256;
        var problem = Sde.Problem(new GbmWithWitness(Mu, Sigma), [1.0, 0.0], 0, 1, Calculus.Stratonovich);
        double[] tolerances = [1e-2, 1e-3, 1e-4];
        var errors = new List<double>();
        double steps = 0;
        foreach (double tol in tolerances)
        {
            var options = new SolveOptions
            {
                Controller = PidController.StochasticDefault with { RelativeTolerance = tol, AbsoluteTolerance = tol },
                Paths = paths, Seed = 21, KeepPaths = true,
            };
            var s = name == "heun" ? DiffEq.Solve(problem, new EulerHeun(), options) : DiffEq.Solve(problem, new Milstein(Calculus.Stratonovich), options);
            Assert.Equal(SolveStatus.Success, s.Status);
            Assert.True(s.Statistics.RejectedSteps > 0, "the controller should have rejected steps");
            errors.Add(StrongError(s.Ensemble, Calculus.Stratonovich));
            steps = (double)s.Statistics.AcceptedSteps / paths;
            output.WriteLine($"{name} rtol {tol:E0}: strong error {errors[^1]:E3}, {steps:F0} accepted and {(double)s.Statistics.RejectedSteps / paths:F0} rejected steps per path");
        }
        for (int i = 1; i < errors.Count; i++) Assert.True(errors[i] < errors[i - 1], $"error rose from {errors[i - 1]} to {errors[i]}");
        double slope = Slope(tolerances, [.. errors]);
        output.WriteLine($"{name}: slope of log error against log rtol {slope:F3} (theory 2/3)");
        Assert.InRange(slope, 2.0 / 3 - 0.25, 2.0 / 3 + 0.25);

        int gridSteps = (int)Math.Ceiling(steps);
        var grid = new SolveOptions { Controller = ConstantStep.WithSteps(gridSteps), Paths = paths, KeepPaths = true };
        var tree = new TreeBrownianIncrements(21, 0, 1);
        var fixedSolution = name == "heun" ? DiffEq.Solve(problem, new EulerHeun(), tree, grid) : DiffEq.Solve(problem, new Milstein(Calculus.Stratonovich), tree, grid);
        double fixedError = StrongError(fixedSolution.Ensemble, Calculus.Stratonovich);
        output.WriteLine($"{name}: fixed grid of {gridSteps} steps on the same paths: strong error {fixedError:E3}");
        Assert.True(errors[^1] < fixedError, $"adaptive error {errors[^1]} should beat the fixed grid's {fixedError} at equal cost in steps");
    }

    [Fact]
    public void Adaptive_Euler_Maruyama_is_refused_unless_the_noise_is_additive()
    {
        var options = new SolveOptions { Controller = PidController.StochasticDefault, Paths = 256 };
        var gbm = new GeometricBrownianMotion(Mu, Sigma);
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new EulerMaruyama(), options));
        Assert.Contains("Stratonovich", e.Message);
        Assert.False(new StepDoubling<EulerMaruyama>(new EulerMaruyama()).Supports(NoiseKind.Scalar, Calculus.Ito));
        // Additive noise: Euler–Maruyama is Euler–Heun there, and converges; the OU mean at t = 1 within 5 SE.
        var ou = new OrnsteinUhlenbeck(theta: 2.0, mu: 1.0, sigma: 0.5);
        var s = DiffEq.Solve(Sde.Problem(ou, [0.0], 0, 1), new EulerMaruyama(), options with { Controller = PidController.StochasticDefault with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2 } });
        Assert.Equal(SolveStatus.Success, s.Status);
        var m = s.Final(0);
        Assert.True(Math.Abs(m.Mean - ou.Mean(0, 1)) < 5 * m.StandardError, $"mean {m.Mean} ± {m.StandardError}, exact {ou.Mean(0, 1)}");
    }
}
