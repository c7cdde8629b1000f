using Drift.Brownian;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

public class ReversibleHeunTests
{
    // Lorenz-63 contracts phase space at rate σ + 1 + β ≈ 13.7, so running it backward expands
    // round-off by about e^{13.7 t}: over t = 0.2 that is a factor of 16, which keeps the
    // algebraic inverse testable at 1e-10.
    [Fact]
    public void Running_forward_then_backward_returns_to_the_start()
    {
        const int paths = 64, steps = 500;
        var lorenz = StochasticLorenz.Classic(2.0);
        var solver = new ReversibleHeun();
        var scratch = new SolverScratch();
        var times = Enumerable.Range(0, steps + 1).Select(k => k * 0.0004).ToArray();
        var dW = new double[steps * 3 * paths];
        new PhiloxBrownianIncrements(8).Fill(0, paths, times, 0, steps, 3, dW, default, paths);
        var x = new double[3 * paths];
        for (int p = 0; p < paths; p++) { x[p] = 1 + 0.01 * p; x[paths + p] = 1; x[2 * paths + p] = 20; }
        var start = (double[])x.Clone();
        var drift = lorenz;
        var diffusion = lorenz;
        solver.Start(ref drift, ref diffusion, scratch, 0, x, paths);
        for (int k = 0; k < steps; k++)
            solver.Step(ref drift, ref diffusion, scratch, times[k], times[k + 1] - times[k], dW.AsSpan(k * 3 * paths, 3 * paths), default, x, paths);
        Assert.True(x.Zip(start, (a, b) => Math.Abs(a - b)).Max() > 1, "the forward solve should move the state");
        for (int k = steps - 1; k >= 0; k--)
            solver.Backward(ref drift, ref diffusion, scratch, times[k], times[k + 1] - times[k], dW.AsSpan(k * 3 * paths, 3 * paths), x, paths);
        double worst = x.Zip(start, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-10, $"largest deviation after the round trip: {worst:E2}");
    }
}
