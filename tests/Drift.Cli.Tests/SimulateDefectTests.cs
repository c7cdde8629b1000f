using System.Text.Json;
using Drift.Cli;
using Drift.Cli.Simulate;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>The five defects of issue 15 found by running the CLI as a new user would.</summary>
public class SimulateDefectTests
{
    /// <summary>
    /// Every built-in model with the default adaptive settings (only --rtol given): success, or — for the models that
    /// run their own exact/QE scheme and for Heston's general noise, which no adaptive solver takes — a clear usage error.
    /// </summary>
    [Fact]
    public void Every_built_in_model_runs_with_the_default_adaptive_settings()
    {
        string[] refused = ["cir-exact", "heston", "heston-qe", "sabr", "merton"];
        foreach (var model in BuiltInModels.All)
        {
            var (code, output, error) = Run("simulate", model.Name, "--rtol", "1e-3", "--paths", "1", "--json", "--no-progress");
            if (refused.Contains(model.Name))
            {
                Assert.True(code == 2, $"{model.Name}: exit {code}: {error}");
                Assert.Contains("--steps or --dt", error);
                continue;
            }
            Assert.True(code == 0, $"{model.Name}: exit {code}: {error}");
            using var doc = JsonDocument.Parse(output);
            Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public void The_issues_Lorenz_commands_succeed_with_default_atol()
    {
        var (code, _, error) = Run("simulate", "lorenz", "--solver", "sriw1", "--rtol", "1e-3", "--paths", "4", "--t1", "5", "--no-progress");
        Assert.True(code == 0, error);
        (code, _, error) = Run("simulate", "lorenz63", "--param", "noise=0.5", "--solver", "sra1", "--rtol", "1e-3", "--t1", "5", "--paths", "4", "--no-progress");
        Assert.True(code == 0, error);
    }

    [Fact]
    public void The_default_adaptive_solver_fits_the_models_noise()
    {
        string Solver(params string[] args)
        {
            var (code, output, error) = Run(["simulate", .. args, "--paths", "4", "--json", "--no-progress"]);
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("solver").GetString()!;
        }
        Assert.Equal("sra1", Solver("lorenz63", "--rtol", "1e-6", "--t1", "1"));   // additive noise
        Assert.Equal("sra1", Solver("lorenz", "--rtol", "1e-3", "--t1", "1"));     // εI in a diagonal layout is additive
        Assert.Equal("sriw1", Solver("gbm", "--rtol", "1e-3"));                    // Itô scalar multiplicative
    }

    [Fact]
    public void Solvers_are_accepted_by_what_the_noise_is_and_refusals_name_solvers_that_can()
    {
        foreach (string solver in new[] { "euler", "milstein", "milstein-strat", "heun", "reversible-heun", "sra1", "sriw1" })
        {
            var (code, _, error) = Run("simulate", "lorenz", "--solver", solver, "--paths", "256", "--steps", "50", "--t1", "0.5", "--no-progress");
            Assert.True(code == 0, $"{solver}: {error}");
            (code, _, error) = Run("simulate", "lorenz63", "--solver", solver, "--param", "noise=0.5", "--paths", "256", "--steps", "50", "--t1", "0.5", "--no-progress");
            Assert.True(code == 0, $"{solver} on lorenz63: {error}");
        }
        var refused = Run("simulate", "heston", "--solver", "sra1", "--paths", "256", "--steps", "10");
        Assert.Equal(2, refused.Code);
        Assert.Contains("use euler", refused.Err);
        Assert.DoesNotContain("sra1 for", refused.Err);
    }

    [Fact]
    public void Reversible_heun_on_a_dissipative_model_warns_before_the_run()
    {
        var (_, _, error) = Run("simulate", "lorenz63", "--solver", "reversible-heun", "--dt", "0.001", "--t1", "0.01", "--paths", "256", "--no-progress");
        Assert.Contains("reversible-heun is stable only for", error);
        Assert.Contains("dissipative", error);
    }

    [Fact]
    public void When_every_path_diverges_the_summary_replaces_the_table_and_the_exit_code_is_3()
    {
        string[] args = ["simulate", "lorenz63", "--solver", "reversible-heun", "--dt", "0.001", "--t1", "2", "--paths", "256", "--no-progress"];
        var (code, output, _) = Run(args);
        Assert.Equal(3, code);
        Assert.Contains("all 256 paths diverged", output);
        Assert.Contains("non-finite state", output);
        Assert.DoesNotContain("Infinity", output);
        var json = Run([.. args, "--json"]);
        Assert.Equal(3, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("diverged", doc.RootElement.GetProperty("status").GetString());
        var x = doc.RootElement.GetProperty("components")[0];
        Assert.Equal(0, x.GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Null, x.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, x.GetProperty("max").ValueKind);
    }
}
