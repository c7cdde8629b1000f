using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class CatalogueModelsTests
{
    [Theory]
    [InlineData("cir")]
    [InlineData("cir-exact")]
    [InlineData("heston")]
    [InlineData("heston-qe")]
    [InlineData("sabr")]
    [InlineData("merton")]
    [InlineData("double-well")]
    [InlineData("langevin-double-well")]
    [InlineData("abp")]
    public void Every_catalogue_model_is_listed_and_simulates_from_the_command_line(string name)
    {
        Assert.Contains(name + " ", Run("models").Out, StringComparison.Ordinal);
        var (code, output, error) = Run("simulate", name, "--paths", "300", "--steps", "20", "--t1", "1", "--json", "--no-progress");
        Assert.True(code == 0, error);
        Assert.Contains("\"mean\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_scheme_models_refuse_other_solvers_and_adaptive_steps_with_a_reason()
    {
        var (code, _, error) = Run("simulate", "heston-qe", "--solver", "euler", "--paths", "10");
        Assert.NotEqual(0, code);
        Assert.Contains("its own scheme 'qe'", error, StringComparison.Ordinal);
        (code, _, error) = Run("simulate", "cir-exact", "--rtol", "1e-3", "--paths", "10");
        Assert.NotEqual(0, code);
        Assert.Contains("fixed-step", error, StringComparison.Ordinal);
    }
}
