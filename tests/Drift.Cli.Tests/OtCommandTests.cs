using System.Globalization;
using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class OtCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-ot").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string Cloud(string name, IEnumerable<(double X, double Y)> points)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X},{p.Y}")));
        return path;
    }

    [Fact]
    public void Shifted_clouds_cost_the_squared_shift_and_the_plan_is_written()
    {
        // Target = source + (0.5, 0): every method's optimal coupling is the shift, cost 0.25.
        var rng = new System.Random(1);
        var pts = Enumerable.Range(0, 40).Select(_ => (rng.NextDouble(), rng.NextDouble())).ToList();
        string a = Cloud("a.csv", pts), b = Cloud("b.csv", pts.Select(p => (p.Item1 + 0.5, p.Item2)));
        string plan = Path.Combine(_dir, "plan.csv");
        foreach (string method in new[] { "exact", "assignment" })
        {
            var (code, output, _) = Run("ot", a, b, "--method", method, "--json", "--plan", plan);
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(0.25, doc.RootElement.GetProperty("cost").GetDouble(), 1e-12);
            var lines = File.ReadAllLines(plan);
            Assert.Equal("row,column,mass", lines[0]);
            Assert.Equal(41, lines.Length);
            Assert.All(lines.Skip(1), l => Assert.Equal(l.Split(',')[0], l.Split(',')[1]));
        }
        var (c2, text, _) = Run("ot", a, b, "--method", "log", "--reg", "0.01");
        Assert.Equal(0, c2);
        Assert.Contains("Success", text);
    }

    [Theory]
    [InlineData("unknown method 'warp'", "--method", "warp")]
    [InlineData("unknown cost", "--cost", "cosine")]
    [InlineData("no such file", "missing")]
    public void Bad_input_exits_2_with_one_line(string reason, params string[] extra)
    {
        string a = Cloud("a.csv", [(0, 0), (1, 1)]), b = Cloud("b.csv", [(0, 1), (1, 0)]);
        var args = extra.Length == 1 && extra[0] == "missing" ? new[] { "ot", a, Path.Combine(_dir, "nope.csv") } : new[] { "ot", a, b }.Concat(extra).ToArray();
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Fact]
    public void Non_convergence_is_reported_with_exit_code_3()
    {
        var rng = new System.Random(2);
        string a = Cloud("a.csv", Enumerable.Range(0, 50).Select(_ => (rng.NextDouble(), rng.NextDouble())));
        string b = Cloud("b.csv", Enumerable.Range(0, 50).Select(_ => (rng.NextDouble() * 3, rng.NextDouble())));
        var (code, _, error) = Run("ot", a, b, "--reg", "0.001", "--max-iter", "3");
        Assert.Equal(3, code);
        Assert.Contains("did not converge", error);
    }
}
