using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Ode;

namespace Drift.Tests.Solve.Adaptive;

public class LorenzAccuracyTests
{
    private static readonly OdeProblem<Lorenz63> Problem = new(default, [1.0, 1.0, 1.0], 0, 1);

    /// <summary>x(1) from DOP853 at rtol = atol = 10⁻¹³.</summary>
    internal static double[] Reference()
    {
        var s = DiffEq.Solve(Problem, new DormandPrince853(), Methods.ToleranceOptions(1e-13));
        Assert.Equal(SolveStatus.Success, s.Status);
        return s.FinalState;
    }

    [Fact]
    public void Tight_DOP853_reference_agrees_with_fine_fixed_step_RK4_and_with_tight_Tsit5()
    {
        var reference = Reference();
        // Classical RK4 (independent code: the fixed-step ensemble engine) with h = 2⁻¹⁶: error ≈ 10⁻¹².
        var lorenz = new OdeProblem<StochasticLorenz>(StochasticLorenz.Classic(0), [1.0, 1.0, 1.0], 0, 1);
        var rk4 = DiffEq.Solve(lorenz, new RungeKutta4(), new SolveOptions { Controller = ConstantStep.WithSteps(1 << 16), Paths = 1, TrackQuantiles = false, KeepPaths = true });
        for (int i = 0; i < 3; i++) Assert.Equal(reference[i], rk4.FinalState[i], 1e-10);
        var tsit5 = DiffEq.Solve(Problem, new Tsitouras5(), Methods.ToleranceOptions(1e-13));
        Assert.True(Methods.MaxAbsDifference(reference, tsit5.FinalState) < 1e-10);
    }

    [Theory]
    [MemberData(nameof(Methods.All), MemberType = typeof(Methods))]
    public void Lorenz_at_t1_agrees_with_the_reference_within_the_requested_tolerance(string name)
    {
        var reference = Reference();
        double scale = 0;
        foreach (double v in reference) scale = Math.Max(scale, Math.Abs(v));
        foreach (double tol in new[] { 1e-6, 1e-9 })
        {
            var s = Methods.Solve(name, Problem, Methods.ToleranceOptions(tol));
            Assert.Equal(SolveStatus.Success, s.Status);
            Assert.Equal(1.0, s.Times[^1]);
            // Tolerance is per step; over t ∈ [0, 1] of a chaotic flow the global error may grow by a
            // modest factor: allow 10·tol·(1 + max|x|), i.e. the requested accuracy in the same units.
            double error = Methods.MaxAbsDifference(reference, s.FinalState);
            Assert.True(error < 10 * tol * (1 + scale), $"{name} at tol {tol}: error {error}");
        }
    }

    [Theory]
    [MemberData(nameof(Methods.All), MemberType = typeof(Methods))]
    public void Tighter_tolerance_gives_smaller_error_and_more_steps(string name)
    {
        var reference = Reference();
        double previousError = double.PositiveInfinity;
        long previousSteps = 0;
        foreach (double tol in new[] { 1e-4, 1e-6, 1e-8, 1e-10 })
        {
            var s = Methods.Solve(name, Problem, Methods.ToleranceOptions(tol));
            double error = Methods.MaxAbsDifference(reference, s.FinalState);
            Assert.True(error < previousError, $"{name}: error {error} at tol {tol} is not below {previousError}");
            Assert.True(s.Statistics.AcceptedSteps > previousSteps, $"{name}: {s.Statistics.AcceptedSteps} steps at tol {tol}");
            previousError = error;
            previousSteps = s.Statistics.AcceptedSteps;
        }
    }
}
