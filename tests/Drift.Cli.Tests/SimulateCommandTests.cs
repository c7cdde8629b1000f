using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class SimulateCommandTests
{
    [Fact]
    public void Default_simulation_prints_a_table_of_final_statistics()
    {
        var (code, output, error) = Run("simulate", "--paths", "20000", "--steps", "100");
        Assert.Equal(0, code);
        Assert.Contains("mean", output);
        Assert.Contains("median", output);
        Assert.Contains("path-steps/s", error);
    }

    [Fact]
    public void Json_output_agrees_with_the_closed_form_within_standard_errors()
    {
        var (code, output, _) = Run("simulate", "gbm", "--paths", "50000", "--steps", "200", "--json", "--param", "mu=0.1", "--param", "sigma=0.3", "--x0", "2");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var x = doc.RootElement.GetProperty("components")[0];
        double mean = x.GetProperty("mean").GetDouble();
        double se = x.GetProperty("stderr").GetDouble();
        Assert.True(Math.Abs(mean - 2 * Math.Exp(0.1)) < 5 * se + 2 * Math.Exp(0.1) * 0.1 * 0.1 / 200 * 2, $"mean {mean} ± {se}");
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(50000, doc.RootElement.GetProperty("paths").GetInt64());
    }

    [Fact]
    public void Tolerances_switch_to_adaptive_steps_and_report_them()
    {
        var (code, output, error) = Run("simulate", "gbm", "--paths", "4000", "--rtol", "1e-3", "--json", "--param", "sigma=0.5");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("sriw1", doc.RootElement.GetProperty("solver").GetString());
        var adaptive = doc.RootElement.GetProperty("adaptive");
        Assert.True(adaptive.GetProperty("acceptedSteps").GetInt64() > 4000);
        var x = doc.RootElement.GetProperty("components")[0];
        Assert.True(Math.Abs(x.GetProperty("mean").GetDouble() - Math.Exp(0.05)) < 5 * x.GetProperty("stderr").GetDouble());
        Assert.Contains("accepted", error);
        Assert.Equal(2, Run("simulate", "gbm", "--rtol", "1e-3", "--solver", "euler").Code);
        Assert.Equal(2, Run("simulate", "gbm", "--rtol", "1e-3", "--steps", "10").Code);
    }

    [Fact]
    public void Thread_count_does_not_change_the_numbers()
    {
        string Stats(string threads)
        {
            var (code, output, _) = Run("simulate", "lorenz", "--paths", "3000", "--steps", "300", "--t1", "1", "--json", "--threads", threads);
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("components").GetRawText();
        }
        Assert.Equal(Stats("1"), Stats("2"));
    }

    [Fact]
    public void Output_files_hold_statistics_over_time_and_paths()
    {
        string dir = Directory.CreateTempSubdirectory("drift-cli").FullName;
        try
        {
            string stats = Path.Combine(dir, "stats.csv");
            string paths = Path.Combine(dir, "paths.csv");
            var (code, _, _) = Run("simulate", "ou", "--paths", "300", "--steps", "10", "--save-every", "5", "--output", stats, "--output-paths", paths);
            Assert.Equal(0, code);
            var lines = File.ReadAllLines(stats);
            Assert.Equal("time,component,count,mean,std,stderr,min,q05,median,q95,max", lines[0]);
            Assert.Equal(1 + 3, lines.Length);
            Assert.StartsWith("0,x,300,1,0,", lines[1]);
            var pathLines = File.ReadAllLines(paths);
            Assert.Equal("time,path,x", pathLines[0]);
            Assert.Equal(1 + 3 * 300, pathLines.Length);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("unknown option --bogus", "simulate", "--bogus", "1")]
    [InlineData("unknown model 'nope'", "simulate", "nope")]
    [InlineData("unknown solver 'rk9'", "simulate", "--solver", "rk9")]
    [InlineData("--paths expects an integer", "simulate", "--paths", "many")]
    [InlineData("--paths must lie in", "simulate", "--paths", "0")]
    [InlineData("give --steps or --dt", "simulate", "--steps", "10", "--dt", "0.1")]
    [InlineData("has no parameter 'kappa'", "simulate", "gbm", "--param", "kappa=1")]
    [InlineData("--x0 needs 3 values", "simulate", "lorenz", "--x0", "1,2")]
    [InlineData("cannot integrate", "simulate", "gbm", "--solver", "sra1")]
    [InlineData("needs a value", "simulate", "--paths")]
    [InlineData("unknown command", "simulat")]
    [InlineData("directory", "simulate", "--paths", "10", "--steps", "2", "--output", "/nonexistent-dir/x.csv")]
    public void Bad_input_exits_non_zero_with_one_line_reason(string reason, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Fact]
    public void Models_are_listed_and_help_is_printed()
    {
        var (code, output, _) = Run("models");
        Assert.Equal(0, code);
        Assert.Contains("gbm", output);
        Assert.Contains("lorenz", output);
        Assert.Equal(0, Run("simulate", "--help").Code);
        Assert.Equal(0, Run("--help").Code);
    }
}
