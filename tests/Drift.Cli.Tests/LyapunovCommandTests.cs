using System.Text.Json;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class LyapunovCommandTests
{
    [Fact]
    public void Lorenz_spectrum_is_printed_as_json_with_confidence_intervals_and_published_values()
    {
        var (code, output, error) = Run("lyapunov", "lorenz", "--param", "beta=2.6666666666666667", "--time", "100", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("exponents").GetArrayLength());
        double max = root.GetProperty("maximal").GetDouble();
        Assert.True(Math.Abs(max - 0.9056) < 0.03, $"λ1 = {max}");
        Assert.True(Math.Abs(root.GetProperty("sum").GetDouble() + 13.6667) < 0.1);
        Assert.InRange(root.GetProperty("kaplanYorke").GetDouble(), 2.03, 2.09);
        Assert.True(root.GetProperty("confidence95")[0].GetDouble() > 0);
        Assert.Equal(0.8917098035724058, root.GetProperty("published").GetProperty("maximal").GetDouble());
        Assert.Contains("RK4 steps", error);
    }

    [Fact]
    public void Table_names_the_maximal_exponent_and_the_Kaplan_Yorke_dimension()
    {
        var (code, output, _) = Run("lyapunov", "sprott-b", "--time", "50", "--trajectories", "3");
        Assert.Equal(0, code);
        Assert.Contains("maximal", output);
        Assert.Contains("kaplan-yorke", output);
        Assert.Contains("published (dysts)", output);
    }

    [Theory]
    [InlineData("has no Jacobian", "lyapunov", "gbm")]
    [InlineData("takes one model", "lyapunov")]
    [InlineData("unknown model", "lyapunov", "nope")]
    [InlineData("--trajectories must lie in", "lyapunov", "lorenz", "--trajectories", "1")]
    [InlineData("left the finite numbers", "lyapunov", "lorenz", "--dt", "0.5", "--time", "50", "--transient", "0")]
    [InlineData("unknown model", "models", "nope")]
    public void Bad_input_exits_non_zero_with_one_line_reason(string reason, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Fact]
    public void Models_lists_the_catalogue_and_describes_one_model()
    {
        var (code, output, _) = Run("models");
        Assert.Equal(0, code);
        Assert.True(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 40 + 3);
        Assert.Contains("sprotta", output);
        var (code2, description, _) = Run("models", "rossler");
        Assert.Equal(0, code2);
        Assert.Contains("dx/dt = -y - z", description);
        Assert.Contains("Rossler, O. E. (1976)", description);
        Assert.Contains("maximal Lyapunov exponent", description);
        Assert.Contains("theta", Run("models", "ou").Out);
    }

    [Fact]
    public void Chaotic_flow_with_noise_simulates_from_the_shell()
    {
        var (code, output, _) = Run("simulate", "halvorsen", "--paths", "512", "--t1", "1", "--dt", "0.005", "--param", "noise=0.5", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var x = doc.RootElement.GetProperty("components")[0];
        Assert.Equal(512, x.GetProperty("count").GetInt64());
        Assert.True(x.GetProperty("std").GetDouble() > 0);
        Assert.Equal("sra1", doc.RootElement.GetProperty("solver").GetString());
    }
}
