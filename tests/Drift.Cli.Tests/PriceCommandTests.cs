using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class PriceCommandTests
{
    [Fact]
    public void Heston_price_agrees_with_the_semi_analytic_value_and_reports_paths()
    {
        var (code, output, _) = Run("price", "heston", "--paths", "40000", "--steps", "50", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.True(Math.Abs(r.GetProperty("z").GetDouble()) < 4, output);
        Assert.Equal(40000, r.GetProperty("paths").GetInt64());
    }

    [Fact]
    public void A_Heston_price_far_from_the_exact_one_is_warned_about_as_discretisation_bias()
    {
        // vol-of-vol 10 at 200 full-truncation Euler steps: about 20 standard errors high at 20 000 paths (measured).
        var (code, output, error) = Run("price", "heston", "--xi", "10", "--paths", "20000", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("z").GetDouble() > 10, output);
        Assert.Contains("warning: the estimate is", error);
        Assert.Contains("discretisation bias of full-truncation Euler at --steps 200", error);
        // The control: the default parameters sit within Monte Carlo error and draw no warning.
        (code, _, error) = Run("price", "heston", "--paths", "20000");
        Assert.Equal(0, code);
        Assert.DoesNotContain("warning", error);
    }

    [Fact]
    public void Target_standard_error_is_met_for_a_Black_Scholes_put()
    {
        var (code, output, _) = Run("price", "bs", "--put", "--target-se", "0.02", "--paths", "2048", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("standardError").GetDouble() <= 0.02);
        Assert.True(doc.RootElement.GetProperty("reachedTarget").GetBoolean());
        Assert.Contains("monte carlo", Run("price", "--paths", "4096").Out);
    }

    [Theory]
    [InlineData("unknown pricing model", "price", "sabr")]
    [InlineData("strike must be positive", "price", "--strike", "-1")]
    [InlineData("rho must lie in", "price", "heston", "--rho", "2")]
    [InlineData("needs |rho| < 1", "price", "heston", "--rho", "-1")]
    public void Bad_input_exits_non_zero_with_one_line_reason(string reason, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }
}

public class PriceMethodTests
{
    [Fact]
    public void Quasi_Monte_Carlo_prices_a_European_and_a_geometric_Asian_call_within_their_errors()
    {
        var (code, output, _) = Run("price", "bs", "--method", "qmc", "--paths", "16384", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("qmc", r.GetProperty("method").GetString());
        Assert.True(Math.Abs(r.GetProperty("z").GetDouble()) < 4.5, output);
        Assert.Equal(16384, r.GetProperty("pathSteps").GetDouble());
        Assert.True(r.GetProperty("standardError").GetDouble() < 0.01, output);

        (code, output, _) = Run("price", "bs", "--method", "qmc", "--payoff", "geometric-asian", "--dates", "12", "--paths", "8192", "--construction", "pca", "--json");
        Assert.Equal(0, code);
        using var geo = System.Text.Json.JsonDocument.Parse(output);
        Assert.True(Math.Abs(geo.RootElement.GetProperty("z").GetDouble()) < 4.5, output);
        Assert.Equal(8192 * 12, geo.RootElement.GetProperty("pathSteps").GetDouble());
    }

    [Fact]
    public void Arithmetic_Asian_has_no_exact_price_and_takes_the_control_variate()
    {
        var (code, output, _) = Run("price", "bs", "--method", "qmc", "--payoff", "asian", "--control-variate", "--paths", "4096", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("exact").ValueKind);
        Assert.InRange(r.GetProperty("price").GetDouble(), 5.5, 6.2); // S₀ = K = 100, σ = 0.2, r = 0.03, 16 dates
        Assert.True(r.GetProperty("standardError").GetDouble() < 2e-3, output);
    }

    [Fact]
    public void Multilevel_Monte_Carlo_reports_its_level_table_and_meets_the_target()
    {
        var (code, output, _) = Run("price", "bs", "--method", "mlmc", "--target-se", "0.02", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.True(r.GetProperty("converged").GetBoolean());
        Assert.True(r.GetProperty("standardError").GetDouble() <= 0.02 * 1.01, output);
        Assert.True(Math.Abs(r.GetProperty("price").GetDouble() - r.GetProperty("exact").GetDouble()) < 3 * r.GetProperty("targetRmse").GetDouble(), output);
        var levels = r.GetProperty("levels");
        Assert.True(levels.GetArrayLength() >= 3);
        double steps = 0;
        foreach (var l in levels.EnumerateArray()) steps += l.GetProperty("samples").GetInt64() * l.GetProperty("cost").GetDouble();
        Assert.Equal(steps, r.GetProperty("pathSteps").GetDouble(), 6);
        Assert.Contains("level  samples", Run("price", "bs", "--method", "mlmc", "--scheme", "euler", "--target-se", "0.05").Out);

        (code, output, _) = Run("price", "heston", "--method", "mlmc", "--xi", "0.3", "--target-se", "0.08", "--json");
        Assert.Equal(0, code);
        using var h = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("heston", h.RootElement.GetProperty("model").GetString());
        Assert.True(Math.Abs(h.RootElement.GetProperty("price").GetDouble() - h.RootElement.GetProperty("exact").GetDouble()) < 3 * h.RootElement.GetProperty("targetRmse").GetDouble(), output);
    }

    [Theory]
    [InlineData("unknown --method", "price", "--method", "sobol")]
    [InlineData("heston is priced by --method mc or mlmc", "price", "heston", "--method", "qmc")]
    [InlineData("heston mlmc uses the full-truncation euler", "price", "heston", "--method", "mlmc", "--scheme", "milstein")]
    [InlineData("unknown --payoff", "price", "--payoff", "digital")]
    [InlineData("mlmc prices the european payoff", "price", "--method", "mlmc", "--payoff", "asian")]
    [InlineData("unknown --construction", "price", "--method", "qmc", "--construction", "spiral")]
    public void Bad_method_input_exits_non_zero_with_one_line_reason(string reason, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }
}
