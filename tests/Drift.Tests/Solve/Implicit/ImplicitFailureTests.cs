using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve.Implicit;

/// <summary>Newton failures reported through the shared status with path and time; inputs checked; results independent of batching.</summary>
public class ImplicitFailureTests
{
    [Fact]
    public void An_implicit_equation_without_a_root_stops_the_path_as_not_converged()
    {
        // y = 1 + y² (x0 = 1, h = 1, θ = 1) has no real root.
        var riccati = new Riccati();
        var problem = new SdeProblem<Riccati, Riccati>(riccati, riccati, [1.0], 0, 1);
        var solution = DiffEq.Solve(problem, new ImplicitEulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(1), Paths = 3 });
        Assert.Equal(SolveStatus.NotConverged, solution.Status);
        Assert.Equal(3, solution.FailedPaths);
        Assert.Equal(SolveStatus.NotConverged, solution.Failures[0].Cause);
        Assert.Equal(0, solution.Failures[0].Path);
        Assert.Equal(1.0, solution.Failures[0].Time);
        Assert.Contains("Newton", solution.Message);
    }

    [Fact]
    public void A_singular_iteration_matrix_is_reported_as_such()
    {
        // dX = 2X dt with h = ½, θ = 1: M = 1 − θhλ = 0.
        var sde = new LinearSdeWithJacobian(2.0, 0.0);
        var problem = new SdeProblem<LinearSdeWithJacobian, LinearSdeWithJacobian>(sde, sde, [1.0], 0, 1);
        var solution = DiffEq.Solve(problem, new ImplicitEulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(2), Paths = 2 });
        Assert.Equal(SolveStatus.SingularJacobian, solution.Status);
        Assert.Equal(0.5, solution.Failures[0].Time);
    }

    [Fact]
    public void Bad_settings_throw_naming_the_value()
    {
        Assert.Equal("theta", Assert.Throws<ArgumentException>(() => new ImplicitEulerMaruyama(1.5)).ParamName);
        Assert.Equal("theta", Assert.Throws<ArgumentException>(() => new ImplicitMilstein(Calculus.Ito, double.NaN)).ParamName);
        Assert.Equal("newtonTolerance", Assert.Throws<ArgumentException>(() => new SKenCarp(0.0)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentException>(() => new ImplicitEulerMaruyama(1, 1e-9, 0)).ParamName);
        Assert.Equal(1.0, default(ImplicitEulerMaruyama).Theta);
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count_and_chunk_size()
    {
        var stiff = new StiffPair(200, 0.3);
        var problem = new SdeProblem<StiffPair, StiffPair>(stiff, stiff, [1.0, -1.0], 0, 1);
        double[] Run<TS>(TS solver, int threads, int chunk) where TS : struct, ISdeSolver =>
            DiffEq.Solve(problem, solver, new SolveOptions { Controller = ConstantStep.WithSteps(20), Paths = 600, Seed = 3, Threads = threads, ChunkSize = chunk, KeepPaths = true, TrackQuantiles = false })
                .PathsAt(0, 1).ToArray();
        Assert.Equal(Run(new ImplicitEulerMaruyama(), 1, 256), Run(new ImplicitEulerMaruyama(), 2, 512));
        Assert.Equal(Run(new SKenCarp(), 1, 256), Run(new SKenCarp(), 2, 512));
    }

    [Fact]
    public void Adaptive_implicit_Euler_is_refused_for_multiplicative_noise()
    {
        var sde = new LinearSde(-1, 0.5);
        var problem = new SdeProblem<LinearSde, LinearSde>(sde, sde, [1.0], 0, 1);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new ImplicitEulerMaruyama(), new SolveOptions { Controller = new Drift.Solve.Adaptive.PidController(), Paths = 1 }));
    }
}
