using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class SolveCommandTests
{
    private const string Robertson = """
        state a = 1
        state b = 0
        state c = 0
        da = (-0.04*a + 10000*b*c)*dt
        db = (0.04*a - 10000*b*c - 30000000*b^2)*dt
        dc = (30000000*b^2)*dt
        """;

    [Fact]
    public void Explicit_and_stiff_solvers_agree_on_a_flow_and_report_their_work()
    {
        JsonElement Solve(string solver)
        {
            var (code, output, error) = Run("solve", "lorenz63", "--t1", "2", "--solver", solver, "--rtol", "1e-10", "--atol", "1e-12", "--json");
            Assert.True(code == 0, error);
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        var dop853 = Solve("dop853");
        var rodas4 = Solve("rodas4");
        Assert.Equal("success", rodas4.GetProperty("status").GetString());
        for (int i = 0; i < 3; i++)
            Assert.Equal(dop853.GetProperty("final")[i].GetDouble(), rodas4.GetProperty("final")[i].GetDouble(), 5);
        Assert.Equal(0, dop853.GetProperty("statistics").GetProperty("jacobians").GetInt64());
        Assert.True(rodas4.GetProperty("statistics").GetProperty("factorizations").GetInt64() >= rodas4.GetProperty("statistics").GetProperty("accepted").GetInt64());
        var rodas5p = Solve("rodas5p");
        Assert.Equal("rodas5p", rodas5p.GetProperty("solver").GetString());
        for (int i = 0; i < 3; i++)
            Assert.Equal(dop853.GetProperty("final")[i].GetDouble(), rodas5p.GetProperty("final")[i].GetDouble(), 5);
        Assert.True(rodas5p.GetProperty("statistics").GetProperty("accepted").GetInt64() < rodas4.GetProperty("statistics").GetProperty("accepted").GetInt64());
    }

    [Fact]
    public void Auto_hands_a_stiff_text_model_to_rodas5p_in_place_and_writes_outputs()
    {
        string dir = Directory.CreateTempSubdirectory("drift-solve").FullName;
        string model = Path.Combine(dir, "robertson.drift");
        File.WriteAllText(model, Robertson);
        string csv = Path.Combine(dir, "r.csv");
        var (code, output, error) = Run("solve", model, "--t1", "1000", "--solver", "auto", "--saveat", "100", "--output", csv, "--json");
        Assert.True(code == 0, error);
        Assert.Contains("stiffness detected", error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("auto(tsit5, rodas5p)", doc.RootElement.GetProperty("solver").GetString());
        Assert.True(doc.RootElement.GetProperty("statistics").GetProperty("switches").GetArrayLength() >= 1);
        double sum = Enumerable.Range(0, 3).Sum(i => doc.RootElement.GetProperty("final")[i].GetDouble());
        Assert.Equal(1.0, sum, 12);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,path,a,b,c", lines[0]);
        Assert.Equal(12, lines.Length); // header + t = 0, 100, …, 1000
    }

    [Theory]
    [InlineData("radau")]
    [InlineData("bdf")]
    public void Radau_and_bdf_solve_a_stiff_text_model_and_count_Jacobians_and_LU(string solver)
    {
        string dir = Directory.CreateTempSubdirectory("drift-solve").FullName;
        string model = Path.Combine(dir, "robertson.drift");
        File.WriteAllText(model, Robertson);
        var (code, output, error) = Run("solve", model, "--t1", "40", "--solver", solver, "--rtol", "1e-8", "--atol", "1e-14", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(solver, root.GetProperty("solver").GetString());
        Assert.Equal("success", root.GetProperty("status").GetString());
        // Hairer & Wanner II §IV.1: y(40) = (0.7158270687, 9.185534764e-6, 0.2841637457).
        Assert.Equal(0.7158270687, root.GetProperty("final")[0].GetDouble(), 6);
        Assert.Equal(9.185534764e-6, root.GetProperty("final")[1].GetDouble(), 10);
        var statistics = root.GetProperty("statistics");
        Assert.True(statistics.GetProperty("jacobians").GetInt64() > 0);
        Assert.True(statistics.GetProperty("factorizations").GetInt64() > 0);
    }

    [Theory]
    [InlineData("unknown --solver 'lsoda'", "solve", "lorenz63", "--solver", "lsoda")]
    [InlineData("no deterministic form", "solve", "gbm")]
    [InlineData("--ignore-noise", "solve", "lorenz")]
    [InlineData("--saveat", "solve", "lorenz63", "--saveat", "x")]
    public void Bad_input_exits_2_with_a_reason(string reason, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(reason, error);
    }
}
