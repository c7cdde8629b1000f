namespace Drift.Cli.Tests;

public class PriceCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

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
