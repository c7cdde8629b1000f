using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

/// <summary>
/// Kinetic ⟨|p|²/M⟩/n and configurational ⟨|∇U|²⟩/⟨ΔU⟩ temperatures both equal 1/β at stationarity:
/// a 2-D double well at β = 2 with mass 2, for both integrators, within 4.5 standard errors.
/// </summary>
public class TemperatureTests
{
    private const double Beta = 2.0, Mass = 2.0;
    private static readonly DoubleWellPotential Potential = new(2);

    private static void AssertTemperatures<TIntegrator>(TIntegrator integrator)
        where TIntegrator : struct, ILangevinIntegrator
    {
        var s = DiffEq.Solve(LangevinEnsemble.Problem(integrator, [0.0, 0.0], null, 15), new SolveOptions
        {
            Controller = ConstantStep.WithSteps(600), Paths = 1 << 16, Seed = 31, KeepPaths = true, TrackQuantiles = false,
        });
        Assert.Equal(SolveStatus.Success, s.Status);
        var t = LangevinDiagnostics.Measure(Potential, s.Ensemble, s.Times.Count - 1, Mass);
        Assert.Equal(1 << 16, t.Samples);
        Assert.True(Math.Abs(t.Kinetic - 1 / Beta) < 4.5 * t.KineticStandardError, $"{integrator.Name}: T_kin = {t.Kinetic:F5} ± {t.KineticStandardError:F5}");
        Assert.True(Math.Abs(t.Configurational - 1 / Beta) < 4.5 * t.ConfigurationalStandardError,
            $"{integrator.Name}: T_conf = {t.Configurational:F5} ± {t.ConfigurationalStandardError:F5}");
        // ⟨U⟩ against 2-D quadrature of the separable density: twice the 1-D mean of (q² − 1)².
        double z = LangevinOracles.Simpson(q => Math.Exp(-Beta * (q * q - 1) * (q * q - 1)), -4, 4);
        double u = 2 * LangevinOracles.Simpson(q => (q * q - 1) * (q * q - 1) * Math.Exp(-Beta * (q * q - 1) * (q * q - 1)), -4, 4) / z;
        Assert.True(Math.Abs(t.MeanPotential - u) < 4.5 * t.MeanPotentialStandardError, $"{integrator.Name}: ⟨U⟩ = {t.MeanPotential:F5} ± {t.MeanPotentialStandardError:F5}, quadrature {u:F5}");
    }

    [Fact]
    public void BAOAB_kinetic_and_configurational_temperatures_equal_one_over_beta() =>
        AssertTemperatures(new Baoab<DoubleWellPotential>(Potential, 1.0, Beta, Mass));

    [Fact]
    public void UBU_kinetic_and_configurational_temperatures_equal_one_over_beta() =>
        AssertTemperatures(new Ubu<DoubleWellPotential>(Potential, 1.0, Beta, Mass));

    [Fact]
    public void Temperatures_detect_a_step_that_is_too_large()
    {
        // BAOAB at h = 0.25 in the 1-D well: kinetic temperature is visibly low (O(h²) bias) — the diagnostic has power.
        var potential = new DoubleWellPotential(1);
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(potential, 1.0, 1.0), [0.0], null, 20),
            new SolveOptions { Controller = ConstantStep.WithSteps(80), Paths = 1 << 15, Seed = 32, KeepPaths = true, TrackQuantiles = false });
        var t = LangevinDiagnostics.Measure(potential, s.Ensemble, s.Times.Count - 1);
        Assert.True(1.0 - t.Kinetic > 10 * t.KineticStandardError, $"T_kin = {t.Kinetic} ± {t.KineticStandardError}");
    }

    [Fact]
    public void Span_and_solution_forms_of_the_diagnostics_agree()
    {
        var potential = new HarmonicPotential(3, 2.0);
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<HarmonicPotential>(potential, 1.0, 1.0), [1.0, 0.0, -1.0], null, 2),
            new SolveOptions { Controller = ConstantStep.WithSteps(20), Paths = 3000, Seed = 33, KeepPaths = true, TrackQuantiles = false });
        var states = new double[6 * 3000];
        for (int i = 0; i < 6; i++) s.PathsAt(0, i).CopyTo(states.AsSpan(i * 3000));
        Assert.Equal(LangevinDiagnostics.Measure(potential, s.Ensemble, 0), LangevinDiagnostics.Measure(potential, states, 3000));
    }
}
