using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

/// <summary>
/// Stationary moments in the 1-D double well U = (q² − 1)² against adaptive-Simpson quadrature of
/// e^{−βU}. Paths start at the barrier top (q = p = 0), so the two wells stay equally filled by
/// symmetry; averages pool the saves from t = 10 on, with standard errors from per-path averages.
/// </summary>
public class DoubleWellLangevinTests
{
    private const double Beta = 1.0;
    private static readonly Func<double, double> U = q => (q * q - 1) * (q * q - 1);

    private static void AssertStationaryMoments<TIntegrator>(TIntegrator integrator, int steps, int saveEvery)
        where TIntegrator : struct, ILangevinIntegrator
    {
        var s = DiffEq.Solve(LangevinEnsemble.Problem(integrator, [0.0], null, 40), new SolveOptions
        {
            Controller = ConstantStep.WithSteps(steps), Paths = 1 << 17, Seed = 21, KeepPaths = true, TrackQuantiles = false, Save = SaveAt.EveryStep(saveEvery),
        });
        Assert.Equal(SolveStatus.Success, s.Status);
        foreach (int power in new[] { 2, 4 })
        {
            double exact = LangevinOracles.GibbsMoment(U, Beta, power, 4.0);
            var (mean, se) = LangevinOracles.PathAverage(s.Ensemble, 0, 10, q => Math.Pow(q, power));
            Assert.True(Math.Abs(mean - exact) < 4.5 * se, $"{integrator.Name}: ⟨q^{power}⟩ = {mean:F5} ± {se:F5}, quadrature {exact:F5}");
        }
        var (odd, oddSe) = LangevinOracles.PathAverage(s.Ensemble, 0, 10, q => q);
        Assert.True(Math.Abs(odd) < 4.5 * oddSe, $"{integrator.Name}: ⟨q⟩ = {odd} ± {oddSe}");
    }

    [Fact]
    public void Quadrature_reference_is_self_consistent()
    {
        // Integration by parts under e^{−βU}: β⟨q U′(q)⟩ = 1, i.e. 4β(⟨q⁴⟩ − ⟨q²⟩) = 1.
        double q2 = LangevinOracles.GibbsMoment(U, Beta, 2, 4.0), q4 = LangevinOracles.GibbsMoment(U, Beta, 4, 4.0);
        Assert.Equal(1.0, 4 * Beta * (q4 - q2), 10);
    }

    [Fact]
    public void BAOAB_samples_the_double_well_moments_given_by_quadrature() =>
        AssertStationaryMoments(new Baoab<DoubleWellPotential>(new DoubleWellPotential(1), 1.0, Beta), 800, 40);   // h = 0.05

    [Fact]
    public void UBU_samples_the_double_well_moments_given_by_quadrature() =>
        AssertStationaryMoments(new Ubu<DoubleWellPotential>(new DoubleWellPotential(1), 1.0, Beta), 1280, 64);     // h = 0.03125
}
