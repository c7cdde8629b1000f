using Drift;
using Drift.Brownian;
using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Chaos;
using Drift.Models.Finance;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

/// <summary>Solvers are chosen by what g is (additive ⊂ diagonal ⊂ general), not by how it is laid out.</summary>
public class NoiseClassTests
{
    private const double Epsilon = 0.7;

    [Fact]
    public void Noise_class_follows_what_the_diffusion_is()
    {
        Assert.Equal(NoiseKind.Additive, Noise.Class(StochasticLorenz.Classic(1)));          // diagonal layout, constant g
        Assert.Equal(NoiseKind.Additive, Noise.Class(ChaosCatalogue.Find("Lorenz").Flow(noise: 0.5)));
        Assert.Equal(NoiseKind.Scalar, Noise.Class(new GeometricBrownianMotion(0.1, 0.2)));
        Assert.Equal(NoiseKind.General, Noise.Class(new Heston(new HestonParameters(100, 0.04, 0.03, 1.5, 0.04, 0.5, -0.7))));
        var text = Drift.Models.Text.TextModel.Parse("state x = 1\nstate y = 0\nnoise diagonal\ndx = -x*dt + 0.3*dW1\ndy = -y*dt + 0.2*dW2\n").Compile();
        Assert.Equal(NoiseKind.Diagonal, text.Noise);
        Assert.Equal(NoiseKind.Additive, Noise.Class(text));
    }

    /// <summary>
    /// Every solver that accepts additive noise must give the same numbers for the same constant g = εI,
    /// whether it is laid out as d diagonal rows or as a d × d additive matrix: the layout-specific branches
    /// (SRIW1 and Milstein read an additive matrix differently) compute the same step.
    /// </summary>
    [Fact]
    public void Additive_noise_gives_the_same_steps_in_diagonal_and_matrix_layouts()
    {
        AssertSameSteps(new EulerMaruyama());
        AssertSameSteps(new Milstein(Calculus.Ito));
        AssertSameSteps(new Milstein(Calculus.Stratonovich));
        AssertSameSteps(new EulerHeun());
        AssertSameSteps(new ReversibleHeun());
        AssertSameSteps(new Sra1());
        AssertSameSteps(new Sriw1());
    }

    private static void AssertSameSteps<TSolver>(TSolver solver) where TSolver : struct, ISdeSolver
    {
        const int paths = 8, steps = 40, d = 3;
        const double h = 0.005;
        var lorenz = StochasticLorenz.Classic(Epsilon);
        var matrix = Sde.FromDelegates(
            (t, x, dx, n) => lorenz.Evaluate(t, x, dx, n),
            (t, x, g, n) =>
            {
                g.Clear();
                for (int i = 0; i < d; i++) g.Slice((i * d + i) * n, n).Fill(Epsilon);
            }, NoiseKind.Additive, d, [1.0, 1.0, 20.0], 0, 1);
        Assert.True(solver.Supports(Noise.Class(lorenz), Calculus.Ito), solver.Name);
        var times = Enumerable.Range(0, steps + 1).Select(k => k * h).ToArray();
        var dW = new double[steps * d * paths];
        var levy = new double[steps * d * paths];
        new PhiloxBrownianIncrements(5).Fill(0, paths, times, 0, steps, d, dW, levy, paths);
        double[] Run<TDrift, TDiffusion>(TDrift drift, TDiffusion diffusion) where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
        {
            var x = new double[d * paths];
            for (int p = 0; p < paths; p++) { x[p] = 1 + 0.1 * p; x[paths + p] = 1; x[2 * paths + p] = 20; }
            var scratch = new SolverScratch();
            solver.Start(ref drift, ref diffusion, scratch, 0, x, paths);
            for (int k = 0; k < steps; k++)
                solver.Step(ref drift, ref diffusion, scratch, times[k], h, dW.AsSpan(k * d * paths, d * paths), levy.AsSpan(k * d * paths, d * paths), x, paths);
            return x;
        }
        var diagonal = Run(lorenz, lorenz);
        var full = Run(matrix.Drift, matrix.Diffusion);
        for (int k = 0; k < diagonal.Length; k++)
            Assert.True(Math.Abs(diagonal[k] - full[k]) <= 1e-12 * Math.Max(1, Math.Abs(diagonal[k])), $"{solver.Name}: {diagonal[k]} vs {full[k]} at {k}");
        Assert.All(diagonal, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Every_solver_whose_needs_are_met_is_accepted_and_the_rest_are_named()
    {
        // Itô additive (stochastic Lorenz): all seven; Itô scalar multiplicative (GBM): euler, milstein, sriw1;
        // general (Heston): euler only — and the refusal names it instead of sra1.
        Assert.Equal(["euler", "milstein", "milstein-strat", "heun", "reversible-heun", "sra1", "sriw1", "implicit-euler", "implicit-milstein", "implicit-milstein-strat", "skencarp"], Ensemble.SolversFor(NoiseKind.Additive, Calculus.Ito));
        Assert.Equal(["euler", "milstein", "sriw1", "implicit-euler", "implicit-milstein"], Ensemble.SolversFor(NoiseKind.Scalar, Calculus.Ito));
        Assert.Equal(["milstein-strat", "heun", "reversible-heun", "implicit-milstein-strat"], Ensemble.SolversFor(NoiseKind.Diagonal, Calculus.Stratonovich));
        Assert.Equal(["euler", "implicit-euler"], Ensemble.SolversFor(NoiseKind.General, Calculus.Ito));
        var heston = new Heston(new HestonParameters(100, 0.04, 0.03, 1.5, 0.04, 0.5, -0.7));
        var problem = new SdeProblem<Heston, Heston>(heston, heston, [Math.Log(100), 0.04], 0, 1);
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = ConstantStep.WithSteps(4), Paths = 256 }));
        Assert.Contains("use euler, implicit-euler.", e.Message);
        Assert.DoesNotContain("sra1 for", e.Message);
    }
}
