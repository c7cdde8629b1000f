using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

public class UbuWeakOrderTests
{
    [Fact]
    public void UBU_stationary_bias_of_q_squared_in_the_double_well_falls_as_h_squared()
    {
        // The bias of the stationary ⟨q²⟩ (β = γ = 1, U = (q² − 1)²) against quadrature, for h = 0.25 … 0.094
        // over T = 24, pooled from t ≥ 10 at multiples of 1.5. Each bias is many standard errors (2¹⁸ paths),
        // so the fitted slope is a measurement, not noise; weak order 2 predicts slope 2.
        double exact = LangevinOracles.GibbsMoment(q => (q * q - 1) * (q * q - 1), 1.0, 2, 4.0);
        var integrator = new Ubu<DoubleWellPotential>(new DoubleWellPotential(1), 1.0, 1.0);
        var h = new List<double>();
        var bias = new List<double>();
        foreach (int steps in new[] { 96, 128, 192, 256 })
        {
            var s = DiffEq.Solve(LangevinEnsemble.Problem(integrator, [0.0], null, 24), new SolveOptions
            {
                Controller = ConstantStep.WithSteps(steps), Paths = 1 << 18, Seed = 41, KeepPaths = true, TrackQuantiles = false, Save = SaveAt.EveryStep(steps / 16),
            });
            Assert.Equal(SolveStatus.Success, s.Status);
            var (mean, se) = LangevinOracles.PathAverage(s.Ensemble, 0, 10, q => q * q);
            Assert.True(Math.Abs(mean - exact) > 5 * se, $"h = {24.0 / steps}: bias {mean - exact} is within noise ({se})");
            h.Add(24.0 / steps);
            bias.Add(Math.Abs(mean - exact));
        }
        double slope = StatisticalTests.LogLogSlope(h, bias);
        Assert.InRange(slope, 1.7, 2.3);
    }
}
