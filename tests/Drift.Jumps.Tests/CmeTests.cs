using Drift.Jumps.Cme;

namespace Drift.Jumps.Tests;

public sealed class CmeTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(2.0)]
    [InlineData(20.0)]
    public void Uniformisation_reproduces_the_Poisson_law_of_immigration_death(double t)
    {
        var fsp = FiniteStateProjection.Build(Models.ImmigrationDeath, [80]);
        var p = fsp.Transient(t, 1e-12);
        var exact = Oracles.Poisson(10 * (1 - Math.Exp(-t)));
        var marginal = p.Marginal(0);
        double l1 = 0;
        for (int k = 0; k < Math.Max(marginal.Length, exact.Length); k++)
            l1 += Math.Abs((k < marginal.Length ? marginal[k] : 0) - (k < exact.Length ? exact[k] : 0));
        Assert.True(l1 < 1e-10, $"L1 error {l1}");
        Assert.True(p.ErrorBound < 1e-10);
    }

    [Fact]
    public void The_error_bound_covers_the_true_error_when_the_box_is_too_small()
    {
        var fsp = FiniteStateProjection.Build(Models.ImmigrationDeath, [12]);
        var p = fsp.Transient(5, 1e-12);
        var exact = Oracles.Poisson(10 * (1 - Math.Exp(-5.0)));
        var marginal = p.Marginal(0);
        double l1 = 0;
        for (int k = 0; k < exact.Length; k++) l1 += Math.Abs((k < marginal.Length ? marginal[k] : 0) - exact[k]);
        Assert.True(p.ErrorBound > 0.05, $"bound {p.ErrorBound}"); // P(X > 12) ≈ 0.21 leaks out
        Assert.True(l1 <= p.ErrorBound * (1 + 1e-9), $"true L1 error {l1} exceeds the bound {p.ErrorBound}");
        for (int k = 0; k < marginal.Length; k++) Assert.True(marginal[k] <= exact[k] + 1e-14); // lower bounds
    }

    [Fact]
    public void Stationary_law_of_immigration_death_is_Poisson()
    {
        var pi = FiniteStateProjection.Build(Models.ImmigrationDeath, [80]).Stationary();
        var exact = Oracles.Poisson(10);
        var marginal = pi.Marginal(0);
        for (int k = 0; k < 40; k++) Assert.Equal(exact[k], marginal[k], 1e-12);
        Assert.True(pi.BoundaryMass < 1e-20);
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(50.0)]
    public void Birth_death_moments_match_the_closed_form(double t)
    {
        var p = FiniteStateProjection.Build(Models.BirthDeath, [600]).Transient(t, 1e-12);
        Assert.True(p.ErrorBound < 1e-9, $"bound {p.ErrorBound}");
        Assert.Equal(Models.BirthDeathMean(t), p.Mean(0), 1e-6);
        Assert.Equal(Models.BirthDeathVariance(t), p.Variance(0), 1e-5);
    }

    [Fact]
    public void Telegraph_stationary_mean_and_fano_factor_match_the_closed_form()
    {
        // Peccoud & Ycart (1995): mean = kr·kon/((kon + koff)γ), Fano = 1 + kr·koff/((kon + koff)(kon + koff + γ)).
        var pi = FiniteStateProjection.Build(Models.Telegraph, [1, 1, 120]).Stationary();
        double mean = 20 * 0.5 / 1.5, fano = 1 + 20 * 1.0 / (1.5 * 2.5);
        Assert.Equal(mean, pi.Mean(2), 1e-8);
        Assert.Equal(fano, pi.Variance(2) / pi.Mean(2), 1e-8);
    }
}
