using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Chaos;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;

namespace Drift.Tests.Ensembles;

/// <summary>
/// The adaptive SDE defaults (rtol 10⁻³, atol 10⁻⁶) on flows whose components cross zero. With the old
/// deterministic error term E₁ = h(f₁ + f₂) (the drift increment, O(h)) the scaled error tended to
/// 2δ/rtol ≈ 333 as h → 0 wherever a component crossed zero, so every Lorenz path stopped at the minimum
/// step near t ≈ 0.5; E₁ is now the embedded difference to Euler's drift part.
/// </summary>
public class AdaptiveSdeDefaultsTests
{
    private static SolveOptions Defaults(long paths) => new() { Controller = AdaptiveSdeOptions.DefaultController, Paths = paths, Seed = 3, TrackQuantiles = false };

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Default_tolerances_solve_the_stochastic_Lorenz_with_either_adaptive_solver(double noise)
    {
        var lorenz = StochasticLorenz.Classic(noise);
        var problem = new SdeProblem<StochasticLorenz, StochasticLorenz>(lorenz, lorenz, [1.0, 1.0, 20.0], 0, 5);
        var sriw1 = DiffEq.Solve(problem, new Sriw1(), Defaults(8));
        var sra1 = DiffEq.Solve(problem, new Sra1(), Defaults(8));
        Assert.True(sriw1.Ensemble.Status == SolveStatus.Success, string.Join("; ", sriw1.Ensemble.Divergences));
        Assert.True(sra1.Ensemble.Status == SolveStatus.Success, string.Join("; ", sra1.Ensemble.Divergences));
    }

    [Fact]
    public void Default_tolerances_solve_the_catalogue_Lorenz_with_additive_matrix_noise()
    {
        var flow = ChaosCatalogue.Find("Lorenz").Flow(noise: 0.5);
        var problem = new SdeProblem<ChaoticFlow, ChaoticFlow>(flow, flow, [.. ChaosCatalogue.Find("Lorenz").InitialState], 0, 5);
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(problem, new Sra1(), Defaults(8)).Ensemble.Status);
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(problem, new Sriw1(), Defaults(8)).Ensemble.Status);
    }

    /// <summary>Without noise E₁ must be a local error estimate, O(h²): halving h quarters it (the old E₁ halved).</summary>
    [Fact]
    public void The_deterministic_error_estimate_is_second_order_in_the_step()
    {
        Assert.InRange(Slope(new Sra1()), 1.75, 2.25);
        Assert.InRange(Slope(new Sriw1()), 1.75, 2.25);
    }

    private static double Slope<TSolver>(TSolver solver) where TSolver : struct, IEmbeddedSdeSolver
    {
        var lorenz = StochasticLorenz.Classic(0);
        double[] hs = [1e-2, 5e-3, 2.5e-3, 1.25e-3];
        var norms = new double[hs.Length];
        for (int k = 0; k < hs.Length; k++)
        {
            double[] x = [1.0, 1.0, 20.0], e1 = new double[3], e2 = new double[3];
            var (f, g) = (lorenz, lorenz);
            solver.StepWithError(ref f, ref g, new SolverScratch(), 0, hs[k], new double[3], new double[3], x, 1, e1, e2);
            norms[k] = Math.Sqrt(e1.Sum(v => v * v));
        }
        return StatisticalTests.LogLogSlope(hs, norms);
    }

    /// <summary>Without noise the adaptive SDE solve is an ODE solve and must meet its tolerance: at rtol = atol = 10⁻⁶ on Lorenz to t = 1 the error against DP853 at 10⁻¹² stays within 10³·tol.</summary>
    [Fact]
    public void Noise_free_adaptive_solves_meet_the_tolerance()
    {
        var lorenz = StochasticLorenz.Classic(0);
        var reference = DiffEq.Solve(Ode.Problem(lorenz, [1.0, 1.0, 20.0], 0, 1), new DormandPrince853(),
            new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12 } });
        var problem = new SdeProblem<StochasticLorenz, StochasticLorenz>(lorenz, lorenz, [1.0, 1.0, 20.0], 0, 1);
        var solution = DiffEq.Solve(problem, new Sra1(), Defaults(1) with
        {
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 },
        });
        for (int i = 0; i < 3; i++)
        {
            double error = Math.Abs(solution.Ensemble.Final(i).Mean - reference.FinalState[i]);
            Assert.True(error < 1e-3 * Math.Max(1, Math.Abs(reference.FinalState[i])), $"component {i}: error {error}");
        }
    }
}
