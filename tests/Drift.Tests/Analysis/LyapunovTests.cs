using Drift.Analysis;
using Drift.Models.Chaos;

namespace Drift.Tests.Analysis;

public class LyapunovTests
{
    [Fact]
    public void Lorenz63_spectrum_matches_the_published_exponent_and_the_exact_contraction_rate()
    {
        var lorenz = ChaosCatalogue.Find("Lorenz");
        double sigma = 10, rho = 28, beta = 8.0 / 3.0;
        var r = Lyapunov.Spectrum(lorenz.Flow([beta, rho, sigma]), lorenz.InitialState,
            new LyapunovOptions { Step = 0.01, Transient = 20, Time = 200, Trajectories = 8 });
        Assert.True(Math.Abs(r.Maximal - 0.9056) < 0.02 * 0.9056, $"λ1 = {r.Maximal} ± {r.StandardErrors[0]}");
        double exactSum = -(sigma + 1 + beta);
        Assert.True(Math.Abs(r.Sum - exactSum) < 0.01 * Math.Abs(exactSum), $"Σλ = {r.Sum}, exact {exactSum}");
        Assert.True(Math.Abs(r.Exponents[1]) < 0.02, $"λ2 = {r.Exponents[1]} (a flow has one zero exponent)");
        Assert.InRange(r.KaplanYorkeDimension, 2.04, 2.08); // 2 + 0.906/14.57 = 2.062
        Assert.True(r.ConfidenceHalfWidth(0) > 0 && r.ConfidenceHalfWidth(0) < 0.05);
    }

    [Theory]
    [InlineData("Chen")]
    [InlineData("Halvorsen")]
    [InlineData("SprottB")]
    [InlineData("SprottD")]
    [InlineData("Rucklidge")]
    [InlineData("GenesioTesi")]
    [InlineData("RayleighBenard")]
    [InlineData("BurkeShaw")]
    public void Maximal_exponent_agrees_with_dysts_within_ten_percent(string name)
    {
        var s = ChaosCatalogue.Find(name);
        var r = Lyapunov.Spectrum(s.Flow(), s.InitialState,
            new LyapunovOptions { Step = s.SuggestedStep, Transient = 20 * s.Period, Time = 150 * s.Period, Trajectories = 4, Spread = 0.01, Exponents = 1 });
        Assert.True(Math.Abs(r.Maximal / s.PublishedMaximalLyapunov - 1) < 0.10, $"{name}: λ1 = {r.Maximal} ± {r.StandardErrors[0]}, dysts {s.PublishedMaximalLyapunov}");
    }

    [Fact]
    public void Rossler_maximal_exponent_matches_the_literature_value()
    {
        // Sprott, Chaos and Time-Series Analysis (2003), table of exponents: λ1 = 0.0714 for a = b = 0.2, c = 5.7.
        var s = ChaosCatalogue.Find("Rossler");
        var r = Lyapunov.Spectrum(s.Flow(), s.InitialState, new LyapunovOptions { Step = 0.02, Transient = 100, Time = 2000, Trajectories = 4, Exponents = 1 });
        Assert.True(Math.Abs(r.Maximal - 0.0714) < 0.1 * 0.0714, $"λ1 = {r.Maximal} ± {r.StandardErrors[0]}");
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var s = ChaosCatalogue.Find("Thomas");
        var o = new LyapunovOptions { Step = 0.02, Transient = 5, Time = 20, Trajectories = 3 };
        var a = Lyapunov.Spectrum(s.Flow(), s.InitialState, o with { Threads = 1 });
        var b = Lyapunov.Spectrum(s.Flow(), s.InitialState, o with { Threads = 2 });
        Assert.Equal(a.Exponents, b.Exponents);
    }

    [Fact]
    public void Kaplan_Yorke_dimension_follows_its_definition()
    {
        Assert.Equal(2 + 0.9 / 14.6, LyapunovSpectrum.KaplanYorke([0.9, 0, -14.6], 3), 12);
        Assert.Equal(0, LyapunovSpectrum.KaplanYorke([-0.1, -1], 2));
        Assert.Equal(3, LyapunovSpectrum.KaplanYorke([0.1, 0.0, 0.0], 3));
        Assert.Equal(1 + 0.5 / 1.0, LyapunovSpectrum.KaplanYorke([-1.0, 0.5], 2), 12);
        Assert.Equal(4.303, LyapunovSpectrum.StudentT975(2));
        Assert.InRange(LyapunovSpectrum.StudentT975(1000), 1.96, 1.963);
    }

    [Fact]
    public void Bad_options_and_diverging_trajectories_are_reported()
    {
        var s = ChaosCatalogue.Find("Lorenz");
        Assert.Throws<ArgumentException>(() => Lyapunov.Spectrum(s.Flow(), s.InitialState, new LyapunovOptions { Step = 0 }));
        Assert.Throws<ArgumentException>(() => Lyapunov.Spectrum(s.Flow(), s.InitialState, new LyapunovOptions { Trajectories = 1 }));
        Assert.Throws<ArgumentException>(() => Lyapunov.Spectrum(s.Flow(), s.InitialState, new LyapunovOptions { Exponents = 4 }));
        Assert.Throws<ArgumentException>(() => Lyapunov.Spectrum(s.Flow(), [1.0, 2.0], new LyapunovOptions()));
        var e = Assert.Throws<ArithmeticException>(() => Lyapunov.Spectrum(s.Flow(), s.InitialState, new LyapunovOptions { Step = 0.5, Time = 50, Transient = 0, Trajectories = 2 }));
        Assert.Contains("finite", e.Message, StringComparison.Ordinal);
    }
}
