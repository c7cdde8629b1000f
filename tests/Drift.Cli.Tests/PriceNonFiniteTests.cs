using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// Issue 18: inputs beyond double precision gave "NaN ± NaN" or "0 ± 0" against the exact price with exit 0, and a
/// System.Text.Json error with --json. They are now failures (exit 3) with the reason; JSON writes each non-finite
/// number as null and names it in "nonFinite".
/// </summary>
public class PriceNonFiniteTests
{
    [Theory]
    [InlineData("bs", "--maturity", "1e12")]
    [InlineData("bs", "--rate", "1e300")]
    [InlineData("bs", "--sigma", "50")]
    [InlineData("heston", "--theta", "1e12")]
    [InlineData("heston", "--maturity", "1e6")]
    public void Non_finite_results_fail_with_the_reason(string model, string option, string value)
    {
        var (code, _, error) = Run("price", model, option, value, "--paths", "2000", "--steps", "20");
        Assert.True(code == CliApp.Diverged, $"exit {code}: {error}");
        Assert.Contains("non-finite result", error, StringComparison.Ordinal);

        var (jsonCode, output, jsonError) = Run("price", model, option, value, "--paths", "2000", "--steps", "20", "--json");
        Assert.True(jsonCode == CliApp.Diverged, $"exit {jsonCode}: {jsonError}");
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("failure", root.GetProperty("status").GetString());
        Assert.Contains("non-finite", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var nonFinite = root.GetProperty("nonFinite").EnumerateObject().ToList();
        Assert.NotEmpty(nonFinite);
        foreach (var field in nonFinite)
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(field.Name).ValueKind);
            Assert.Contains(field.Value.GetString(), new[] { "NaN", "Infinity", "-Infinity" });
        }
    }

    [Fact]
    public void Finite_run_reports_success()
    {
        var (code, output, error) = Run("price", "bs", "--paths", "2000", "--json");
        Assert.True(code == CliApp.Ok, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        Assert.False(doc.RootElement.TryGetProperty("nonFinite", out _));
        Assert.True(double.IsFinite(doc.RootElement.GetProperty("z").GetDouble()));
    }

    [Fact]
    public void Multilevel_and_quasi_monte_carlo_fail_the_same_way()
    {
        var (mlmc, mlmcOut, e1) = Run("price", "bs", "--method", "mlmc", "--rate", "1e300", "--target-se", "0.5", "--json");
        Assert.True(mlmc == CliApp.Diverged, $"exit {mlmc}: {e1}");
        Assert.Contains("non-finite result", e1, StringComparison.Ordinal);
        using (var m = JsonDocument.Parse(mlmcOut)) Assert.Equal("failure", m.RootElement.GetProperty("status").GetString());
        var (qmc, output, e2) = Run("price", "bs", "--method", "qmc", "--rate", "1e300", "--paths", "256", "--json");
        Assert.True(qmc == CliApp.Diverged, $"exit {qmc}: {e2}");
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("failure", doc.RootElement.GetProperty("status").GetString());
    }
}
