using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Ode;

namespace Drift.Tests.Solve;

public class OdeOrderTests
{
    private static double Slope<TS>(TS solver) where TS : struct, IOdeSolver
    {
        var problem = new OdeProblem<Rotation>(default, [1.0, 0.0], 0, 1);
        var h = new List<double>();
        var error = new List<double>();
        foreach (int n in new[] { 8, 16, 32, 64 })
        {
            var s = DiffEq.Solve(problem, solver, new SolveOptions { Controller = ConstantStep.WithSteps(n), Paths = 1, TrackQuantiles = false });
            h.Add(1.0 / n);
            error.Add(Math.Sqrt(Math.Pow(s.Final(0).Mean - Math.Cos(1), 2) + Math.Pow(s.Final(1).Mean - Math.Sin(1), 2)));
        }
        return StatisticalTests.LogLogSlope(h, error);
    }

    [Fact]
    public void Each_ODE_solver_converges_at_its_declared_order_on_a_linear_system()
    {
        Assert.InRange(Slope(new Euler()), new Euler().Order - 0.2, new Euler().Order + 0.2);
        Assert.InRange(Slope(new Midpoint()), new Midpoint().Order - 0.2, new Midpoint().Order + 0.2);
        Assert.InRange(Slope(new Heun()), new Heun().Order - 0.2, new Heun().Order + 0.2);
        Assert.InRange(Slope(new RungeKutta4()), new RungeKutta4().Order - 0.2, new RungeKutta4().Order + 0.2);
    }

    [Fact]
    public void Per_path_initial_states_give_per_path_solutions()
    {
        var problem = new OdeProblem<Rotation>(default, [0.0, 0.0], 0, Math.PI / 2)
        {
            PathInitialStates = (first, paths, x) =>
            {
                for (int p = 0; p < paths; p++)
                {
                    x[p] = first + p;
                    x[paths + p] = 0;
                }
            },
        };
        var s = DiffEq.Solve(problem, new RungeKutta4(), new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 600, KeepPaths = true, ChunkSize = 256 });
        // A quarter turn maps (r, 0) to (0, r).
        for (int p = 0; p < 600; p += 37) Assert.Equal(p, s.State(0, p)[1], 1e-6 * (1 + p));
    }
}
