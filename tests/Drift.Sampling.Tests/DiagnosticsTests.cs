using System.Text.Json;
using Drift.Sampling.Diagnostics;

namespace Drift.Sampling.Tests;

/// <summary>Diagnostics against the independent numpy reference (bench/compare/diagnostics_reference.py) to 1e-8.</summary>
public class DiagnosticsTests
{
    public static TheoryData<string> Sets() => new(Fixture().RootElement.GetProperty("sets").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));

    private static JsonDocument Fixture() => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "diagnostics.json")));

    private static void Close(string what, double expected, double actual)
    {
        double tolerance = 1e-8 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2}).");
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Rhat_ess_and_mcse_equal_the_numpy_reference(string name)
    {
        using var doc = Fixture();
        var set = doc.RootElement.GetProperty("sets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        var chains = set.GetProperty("values").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Close("rhat", set.GetProperty("rhat").GetDouble(), Convergence.Rhat(chains));
        Close("ess_bulk", set.GetProperty("ess_bulk").GetDouble(), Convergence.BulkEss(chains));
        Close("ess_tail", set.GetProperty("ess_tail").GetDouble(), Convergence.TailEss(chains));
        Close("ess_mean", set.GetProperty("ess_mean").GetDouble(), Convergence.MeanEss(chains));
        Close("mcse_mean", set.GetProperty("mcse_mean").GetDouble(), Convergence.McseMean(chains));
        Close("mcse_q05", set.GetProperty("mcse_q05").GetDouble(), Convergence.McseQuantile(chains, 0.05));
        Close("mcse_q95", set.GetProperty("mcse_q95").GetDouble(), Convergence.McseQuantile(chains, 0.95));
        var summary = ParameterSummary.Of(name, chains);
        Close("q05", set.GetProperty("q05").GetDouble(), summary.Q5);
        Close("median", set.GetProperty("median").GetDouble(), summary.Median);
    }

    [Fact]
    public void The_fixture_covers_mixed_and_unmixed_chains()
    {
        // Guards against a fixture that would let a wrong R̂ pass: it must hold both R̂ > 1.05 and R̂ < 1.01 sets,
        // and an antithetic set whose ESS exceeds the number of draws.
        using var doc = Fixture();
        var sets = doc.RootElement.GetProperty("sets").EnumerateArray().ToList();
        Assert.Contains(sets, s => s.GetProperty("rhat").GetDouble() > 1.05);
        Assert.Contains(sets, s => s.GetProperty("rhat").GetDouble() < 1.01);
        Assert.Contains(sets, s => s.GetProperty("ess_bulk").GetDouble() > 4 * 301);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.02, -2.053748910631823)]
    public void Normal_quantile_is_accurate(double p, double expected)
        => Assert.Equal(expected, SpecialFunctions.NormalQuantile(p), 1e-13);

    [Fact]
    public void Beta_quantile_inverts_closed_forms()
    {
        // Beta(1, b): I_x = 1 − (1 − x)^b, so the p-quantile is 1 − (1 − p)^{1/b}; Beta(a, 1): x^a.
        Assert.Equal(1 - Math.Pow(1 - 0.3, 1 / 7.5), SpecialFunctions.BetaQuantile(0.3, 1, 7.5), 1e-13);
        Assert.Equal(Math.Pow(0.8, 1 / 3.25), SpecialFunctions.BetaQuantile(0.8, 3.25, 1), 1e-13);
        // Symmetric: the median of Beta(a, a) is ½.
        Assert.Equal(0.5, SpecialFunctions.BetaQuantile(0.5, 412.5, 412.5), 1e-12);
    }

    [Fact]
    public void Statistics_are_nan_when_undefined()
    {
        double[][] constant = [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]];
        Assert.True(double.IsNaN(Convergence.BulkEss(constant)));
        double[][] tooShort = [[1, 2, 3], [2, 3, 1]];
        Assert.True(double.IsNaN(Convergence.Rhat(tooShort)));
        double[][] withNan = [[1, 2, 3, double.NaN, 5], [2, 3, 1, 4, 5]];
        Assert.True(double.IsNaN(Convergence.Rhat(withNan)));
        Assert.Throws<ArgumentException>(() => Convergence.Rhat([[1, 2, 3, 4, 5], [1, 2, 3, 4]]));
    }

    /// <summary>
    /// The "tail NaN" of short runs (seen at 20 draws on eight schools): 4 chains × 20 draws where the last chain repeated
    /// its largest value for its last 5 draws. Of the 80 pooled draws the 95% quantile (type 7: between order statistics
    /// 76 and 77) is that tied value, every draw is ≤ it, the indicator is constant and tail-ESS is undefined — NaN here
    /// as NA in posterior — so the warning must say why in words instead of printing "tail NaN".
    /// </summary>
    [Fact]
    public void An_undefined_tail_ess_is_explained_in_words()
    {
        var draws = new Drift.Random.StepDraws(5, 0, 0);
        var chains = new double[4][];
        for (int m = 0; m < 4; m++)
        {
            chains[m] = new double[20];
            for (int t = 0; t < 20; t++) chains[m][t] = draws.NextNormal();
        }
        for (int t = 15; t < 20; t++) chains[3][t] = 9.5; // stuck: repeated (rejected) transitions at a value above every other draw
        Assert.False(double.IsNaN(Convergence.BulkEss(chains)));
        Assert.True(double.IsNaN(Convergence.TailEss(chains)));
        string why = Convergence.TailEssUndefinedReason(chains)!;
        Assert.Contains("5 of 80 draws tie at the largest value 9.5", why, StringComparison.Ordinal);

        // One more distinct top draw breaks the tie: tail-ESS is defined again and there is no reason to give.
        chains[3][15] = 9.6;
        Assert.False(double.IsNaN(Convergence.TailEss(chains)));
        Assert.Null(Convergence.TailEssUndefinedReason(chains));
        chains[3][15] = 9.5;

        var flat = new double[80];
        for (int m = 0; m < 4; m++) chains[m].CopyTo(flat, m * 20);
        var result = McmcResult.FromDraws(["theta"], 4, 20, flat);
        var warnings = string.Join("\n", result.Warnings());
        Assert.Contains("tail undefined", warnings, StringComparison.Ordinal);
        Assert.Contains("tail ESS of theta is undefined: 5 of 80 draws tie", warnings, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", warnings, StringComparison.Ordinal);
        Assert.Equal("fewer than 4 draws per chain (3)", Convergence.TailEssUndefinedReason([[1.0, 2, 3], [2.0, 3, 1]]));
    }
}
