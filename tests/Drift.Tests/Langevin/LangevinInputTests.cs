using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

public class LangevinInputTests
{
    private static readonly HarmonicPotential Harmonic = new(2, 1.0);
    private static readonly SolveOptions Options = new() { Controller = ConstantStep.WithSteps(4), Paths = 256 };

    [Theory]
    [InlineData(0.0, 1.0, 1.0, "friction")]
    [InlineData(-1.0, 1.0, 1.0, "friction")]
    [InlineData(double.NaN, 1.0, 1.0, "friction")]
    [InlineData(double.PositiveInfinity, 1.0, 1.0, "friction")]
    [InlineData(1.0, 0.0, 1.0, "inverseTemperature")]
    [InlineData(1.0, -2.0, 1.0, "inverseTemperature")]
    [InlineData(1.0, double.NaN, 1.0, "inverseTemperature")]
    [InlineData(1.0, 1.0, 0.0, "mass")]
    [InlineData(1.0, 1.0, -1.0, "mass")]
    public void Nonpositive_or_nonfinite_friction_temperature_or_mass_is_refused_by_both_integrators(double gamma, double beta, double mass, string parameter)
    {
        var e1 = Assert.ThrowsAny<ArgumentException>(() => new Baoab<HarmonicPotential>(Harmonic, gamma, beta, mass));
        var e2 = Assert.ThrowsAny<ArgumentException>(() => new Ubu<HarmonicPotential>(Harmonic, gamma, beta, mass));
        Assert.Equal(parameter, e1.ParamName);
        Assert.Equal(parameter, e2.ParamName);
    }

    [Fact]
    public void A_default_constructed_potential_or_integrator_is_refused()
    {
        Assert.Equal("potential", Assert.ThrowsAny<ArgumentException>(() => new Baoab<HarmonicPotential>(default, 1, 1)).ParamName);
        Assert.Equal("integrator", Assert.ThrowsAny<ArgumentException>(() =>
            DiffEq.Solve(LangevinEnsemble.Problem(default(Ubu<HarmonicPotential>), [0.0], null, 1), Options)).ParamName);
    }

    [Fact]
    public void Bad_potential_parameters_are_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new HarmonicPotential(0, 1));
        Assert.ThrowsAny<ArgumentException>(() => new HarmonicPotential(1, 0));
        Assert.ThrowsAny<ArgumentException>(() => new HarmonicPotential(1, double.NaN));
        Assert.ThrowsAny<ArgumentException>(() => new DoubleWellPotential(0));
        Assert.ThrowsAny<ArgumentException>(() => new PotentialFunction(0, (_, _, _) => { }, (_, _, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new PotentialFunction(1, null!, (_, _, _) => { }));
    }

    [Fact]
    public void Position_and_momentum_lengths_must_match_the_potential()
    {
        var baoab = new Baoab<HarmonicPotential>(Harmonic, 1, 1);
        var e = Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(LangevinEnsemble.Problem(baoab, [0.0], null, 1), Options));
        Assert.Equal("q0", e.ParamName);
        Assert.Contains("dimension 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("p0", Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(LangevinEnsemble.Problem(baoab, [0.0, 0.0], [1.0, 2.0, 3.0], 1), Options)).ParamName);
        Assert.Equal("duration", Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(LangevinEnsemble.Problem(baoab, [0.0, 0.0], null, 0), Options)).ParamName);
        Assert.Contains("finite", Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(LangevinEnsemble.Problem(baoab, [double.NaN, 0.0], null, 1), Options)).Message,
            StringComparison.Ordinal);
        // Through the general stepper problem the state must have 2n components.
        Assert.Equal("initialState", Assert.ThrowsAny<ArgumentException>(() =>
            DiffEq.Solve(new StepperProblem<Baoab<HarmonicPotential>>(baoab, [0.0, 0.0], 0, 1), Options)).ParamName);
    }

    [Fact]
    public void Diagnostics_refuse_mismatched_states_and_missing_paths_or_Laplacian()
    {
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<HarmonicPotential>(Harmonic, 1, 1), [0.0, 0.0], null, 1), Options);
        Assert.Throws<InvalidOperationException>(() => LangevinDiagnostics.Measure(Harmonic, s.Ensemble, 0));
        var kept = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<HarmonicPotential>(Harmonic, 1, 1), [0.0, 0.0], null, 1), Options with { KeepPaths = true });
        Assert.Equal("solution", Assert.ThrowsAny<ArgumentException>(() => LangevinDiagnostics.Measure(new HarmonicPotential(3, 1), kept.Ensemble, 0)).ParamName);
        Assert.Equal("mass", Assert.ThrowsAny<ArgumentException>(() => LangevinDiagnostics.Measure(Harmonic, kept.Ensemble, 0, mass: 0)).ParamName);
        Assert.Equal("states", Assert.ThrowsAny<ArgumentException>(() => LangevinDiagnostics.Measure(Harmonic, new double[7], 2)).ParamName);
        var noLaplacian = new PotentialFunction(1, (q, g, n) => q[..n].CopyTo(g), (q, u, n) => u[..n].Clear());
        Assert.False(noLaplacian.HasLaplacian);
        Assert.Throws<InvalidOperationException>(() => LangevinDiagnostics.Measure(noLaplacian, new double[2], 1));
    }

    [Fact]
    public void A_path_that_blows_up_is_reported_with_its_index_and_time_not_thrown()
    {
        // h = 3 on k = 1 exceeds BAOAB's stability limit h < 2: every path diverges.
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<HarmonicPotential>(new HarmonicPotential(1, 1), 1, 1), [1.0], null, 3000),
            new SolveOptions { Controller = ConstantStep.WithSteps(1000), Paths = 256 });
        Assert.Equal(SolveStatus.NonFinite, s.Status);
        Assert.Equal(256, s.FailedPaths);
        Assert.Equal(0, s.Failures[0].Path);
    }
}
