using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

/// <summary>
/// The harmonic oscillator U = ½kq², where both integrators are linear Gaussian recursions with
/// closed-form laws: BAOAB samples q from exactly N(0, 1/(βk)) at any stable step, with momentum
/// variance (M/β)(1 − h²k/(4M)); UBU's law follows an exact covariance recursion.
/// </summary>
public class HarmonicLangevinTests
{
    private const int Paths = 1 << 18;

    /// <summary>|sample variance − expected| &lt; 4.5 SE, with SE = σ²√(2/(N − 1)) (the samples are Gaussian).</summary>
    private static void AssertVariance(double expected, Drift.Statistics.Moments m, string what) =>
        Assert.True(Math.Abs(m.Variance - expected) < 4.5 * expected * Math.Sqrt(2.0 / (m.Count - 1)),
            $"{what}: variance {m.Variance:F5}, expected {expected:F5} (SE {expected * Math.Sqrt(2.0 / (m.Count - 1)):F5})");

    [Theory]
    [InlineData(1.0, 1.0, 1.0, 1.0, 1.0)]   // h = 1 is half the stability limit 2/ω
    [InlineData(4.0, 0.5, 2.0, 1.0, 0.8)]   // ω = 2: h = 0.8 is 0.8 of the limit 1
    [InlineData(2.0, 2.0, 0.5, 3.0, 1.5)]   // with a mass: ω = √(k/M) ≈ 0.82, limit 2.45
    public void BAOAB_positions_are_exactly_Gibbs_distributed_at_a_large_step_and_momenta_carry_the_known_h_squared_bias(
        double k, double gamma, double beta, double mass, double h)
    {
        var baoab = new Baoab<HarmonicPotential>(new HarmonicPotential(1, k), gamma, beta, mass);
        var s = DiffEq.Solve(LangevinEnsemble.Problem(baoab, [2.0], [0.0], 60 * h), new SolveOptions { Controller = ConstantStep.WithSteps(60), Paths = Paths, Seed = 11, TrackQuantiles = false });
        Assert.Equal(SolveStatus.Success, s.Status);
        AssertVariance(1 / (beta * k), s.Final(0), "BAOAB q");
        AssertVariance(mass / beta * (1 - h * h * k / (4 * mass)), s.Final(1), "BAOAB p");
        Assert.True(Math.Abs(s.Final(0).Mean) < 4.5 * s.Final(0).StandardError);
    }

    [Fact]
    public void BAOAB_momentum_bias_is_visible_so_the_closed_form_is_not_vacuous()
    {
        // At h = 1 (k = M = β = 1) the momentum variance is 0.75, not the Gibbs 1: 90 standard errors away.
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<HarmonicPotential>(new HarmonicPotential(1, 1), 1, 1), [0.0], null, 40),
            new SolveOptions { Controller = ConstantStep.WithSteps(40), Paths = Paths, Seed = 12, TrackQuantiles = false });
        Assert.True(Math.Abs(s.Final(1).Variance - 1.0) > 0.2);
    }

    [Theory]
    [InlineData(1.0, 1.0, 1.0, 1.0, 1.0, 60)]      // stationary regime at a large step (UBU is biased there: O(h²))
    [InlineData(1.0, 2.0, 0.5, 2.0, 0.25, 40)]     // transient from q0 = 2, with a mass
    [InlineData(1.0, 1e-3, 1.0, 1.0, 0.5, 20)]     // γh/2 < 1e-3: the series branch of the conditional variance
    public void UBU_matches_the_exact_law_of_its_linear_recursion_on_the_harmonic_oscillator(
        double k, double gamma, double beta, double mass, double h, int steps)
    {
        var ubu = new Ubu<HarmonicPotential>(new HarmonicPotential(1, k), gamma, beta, mass);
        var s = DiffEq.Solve(LangevinEnsemble.Problem(ubu, [2.0], [0.5], steps * h), new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = Paths, Seed = 13, TrackQuantiles = false });
        var law = LangevinOracles.UbuHarmonic(k, gamma, beta, mass, h, steps, 2.0, 0.5);
        var q = s.Final(0);
        var p = s.Final(1);
        Assert.True(Math.Abs(q.Mean - law.Mq) < 4.5 * Math.Sqrt(law.Qq / q.Count), $"mean q {q.Mean} vs {law.Mq}");
        Assert.True(Math.Abs(p.Mean - law.Mp) < 4.5 * Math.Sqrt(law.Pp / p.Count), $"mean p {p.Mean} vs {law.Mp}");
        AssertVariance(law.Qq, q, "UBU q");
        AssertVariance(law.Pp, p, "UBU p");
    }

    [Fact]
    public void UBU_bias_on_the_harmonic_oscillator_falls_as_h_squared()
    {
        // From the exact recursion (no Monte Carlo): the stationary position variance error of UBU.
        var h = new[] { 0.4, 0.2, 0.1, 0.05 };
        var error = h.Select(step => Math.Abs(LangevinOracles.UbuHarmonic(1, 1, 1, 1, step, (int)(200 / step), 0, 0).Qq - 1)).ToArray();
        Assert.InRange(StatisticalTests.LogLogSlope(h, error), 1.9, 2.1);
    }
}
