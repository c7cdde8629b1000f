using System.Globalization;
using System.Text.Json;
using Drift.Cli;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public class SsaCommandTests
{
    private const string ImmigrationDeath = "# immigration-death: X(t) ~ Poisson(10(1 - e^-t))\nspecies A = 0\n0 -> A, 10\nA -> 0, 1\n";

    private static string Model(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"drift-ssa-{Guid.NewGuid():N}.rn");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("nrm")]
    [InlineData("sorting")]
    [InlineData("rssa-cr")]
    [InlineData("tau-leap")]
    public void Json_mean_of_immigration_death_is_within_standard_errors(string method)
    {
        string model = Model(ImmigrationDeath);
        var (code, output, error) = Run("ssa", model, "--runs", "4000", "--t1", "2", "--method", method, "--json", "--seed", "3");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var a = doc.RootElement.GetProperty("components")[0];
        Assert.Equal("A", a.GetProperty("name").GetString());
        double mean = a.GetProperty("mean").GetDouble(), se = a.GetProperty("stderr").GetDouble();
        double exact = 10 * (1 - Math.Exp(-2));
        double bias = method == "tau-leap" ? 0.1 : 0; // tau-leaping's first-order bias at the default epsilon (measured ≈ 0.03)
        Assert.True(Math.Abs(mean - exact) < 5 * se + bias, $"{method}: mean {mean} ± {se}, exact {exact}");
        Assert.Equal(4000, doc.RootElement.GetProperty("paths").GetInt64());
        Assert.Equal(method, doc.RootElement.GetProperty("solver").GetString());
        Assert.Contains("events/s", error);
    }

    [Fact]
    public void Statistics_csv_has_the_simulate_columns_with_species_names()
    {
        string model = Model(ImmigrationDeath);
        string csv = Path.Combine(Path.GetTempPath(), $"drift-ssa-{Guid.NewGuid():N}.csv");
        var (code, _, error) = Run("ssa", model, "--runs", "1024", "--t1", "1", "--save-every", "0.25", "--output", csv);
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,component,count,mean,std,stderr,min,q05,median,q95,max", lines[0]);
        Assert.Equal(6, lines.Length); // t = 0, 0.25, 0.5, 0.75, 1
        Assert.StartsWith("0,A,1024,0,0,0,0,0,0,0,0", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("1,A,1024,", lines[5], StringComparison.Ordinal);
        double mean = double.Parse(lines[5].Split(',')[3], CultureInfo.InvariantCulture);
        Assert.InRange(mean, 6.0, 6.6); // 10(1 - 1/e) = 6.32, SE ≈ 0.08
    }

    [Fact]
    public void Same_seed_gives_the_same_output_on_one_and_two_threads()
    {
        string model = Model(ImmigrationDeath);
        var one = Run("ssa", model, "--runs", "2048", "--t1", "1", "--json", "--threads", "1", "--seed", "5");
        var two = Run("ssa", model, "--runs", "2048", "--t1", "1", "--json", "--threads", "2", "--seed", "5");
        static string Components(string json) => JsonDocument.Parse(json).RootElement.GetProperty("components").GetRawText();
        Assert.Equal(Components(one.Out), Components(two.Out));
    }

    [Fact]
    public void Ode_method_prints_the_rate_equation_solution()
    {
        string model = Model(ImmigrationDeath);
        var (code, output, error) = Run("ssa", model, "--t1", "1", "--method", "ode", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(10 * (1 - Math.Exp(-1)), doc.RootElement.GetProperty("components")[0].GetProperty("mean").GetDouble(), 1e-7);
    }

    [Theory]
    [InlineData("species A = 1\nA -> B, 1\n", new[] { "--t1", "1" }, ":2:6: unknown species 'B'")]
    [InlineData(ImmigrationDeath, new[] { "--runs", "10" }, "--t1")]
    [InlineData(ImmigrationDeath, new[] { "--t1", "1", "--method", "magic" }, "unknown --method 'magic'")]
    [InlineData(ImmigrationDeath, new[] { "--t1", "1", "--epsilon", "2" }, "--epsilon")]
    public void Bad_input_exits_2_with_a_one_line_reason(string text, string[] options, string fragment)
    {
        string model = Model(text);
        var (code, output, error) = Run(["ssa", model, .. options]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static string Example(string name) => RepositoryPath("examples", "jumps", name);

    [Theory]
    [InlineData("--sbml")]
    [InlineData(null)]
    public void Sbml_model_gives_the_same_statistics_as_its_text_network(string? option)
    {
        string[] common = ["--runs", "512", "--t1", "5", "--json", "--seed", "9", "--threads", "1"];
        var text = Run(["ssa", Example("michaelis-menten.rn"), .. common]);
        string[] model = option is null ? [Example("michaelis-menten.xml")] : [option, Example("michaelis-menten.xml")];
        var sbml = Run(["ssa", .. model, .. common]);
        Assert.True(text.Code == 0, text.Err);
        Assert.True(sbml.Code == 0, sbml.Err);
        static string Components(string json) => JsonDocument.Parse(json).RootElement.GetProperty("components").GetRawText();
        Assert.Equal(Components(text.Out), Components(sbml.Out));
    }

    [Fact]
    public void Time_dependent_propensities_run_by_extrande_by_default_and_other_methods_refuse_them()
    {
        // periodic-immigration: A(1) ~ Poisson(m(1)), m(t) = 20(1 − e^{−t}) + 20(sin 2t − 2 cos 2t + 2e^{−t})/5
        string[] common = ["--runs", "2000", "--t1", "1", "--json", "--seed", "2", "--threads", "1"];
        var text = Run(["ssa", Example("periodic-immigration.rn"), .. common]);
        var sbml = Run(["ssa", Example("periodic-immigration.xml"), "--method", "extrande", .. common]);
        Assert.True(text.Code == 0, text.Err);
        Assert.True(sbml.Code == 0, sbml.Err);
        using var doc = JsonDocument.Parse(text.Out);
        Assert.Equal("extrande", doc.RootElement.GetProperty("solver").GetString());
        var a = doc.RootElement.GetProperty("components")[0];
        double exact = 20 * (1 - Math.Exp(-1)) + 20 * (Math.Sin(2) - 2 * Math.Cos(2) + 2 * Math.Exp(-1)) / 5;
        double mean = a.GetProperty("mean").GetDouble(), se = a.GetProperty("stderr").GetDouble();
        Assert.True(Math.Abs(mean - exact) < 5 * se, $"mean {mean} ± {se}, exact {exact}");
        static string Components(string json) => JsonDocument.Parse(json).RootElement.GetProperty("components").GetRawText();
        Assert.Equal(Components(text.Out), Components(sbml.Out));
        var direct = Run("ssa", Example("periodic-immigration.rn"), "--t1", "1", "--method", "direct");
        Assert.Equal(2, direct.Code);
        Assert.Contains("line 9 depends on time t", direct.Err, StringComparison.Ordinal);
        Assert.Single(direct.Err.Trim().Split('\n'));
        var (_, help, _) = Run("ssa", "--help");
        Assert.Contains("extrande", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Extrande_window_is_taken_validated_and_keeps_the_mean()
    {
        string[] common = ["--runs", "2000", "--t1", "1", "--json", "--seed", "2", "--threads", "1"];
        var run = Run(["ssa", Example("periodic-immigration.rn"), "--extrande-window", "0.05", .. common]);
        Assert.True(run.Code == 0, run.Err);
        var a = JsonDocument.Parse(run.Out).RootElement.GetProperty("components")[0];
        double exact = 20 * (1 - Math.Exp(-1)) + 20 * (Math.Sin(2) - 2 * Math.Cos(2) + 2 * Math.Exp(-1)) / 5;
        double mean = a.GetProperty("mean").GetDouble(), se = a.GetProperty("stderr").GetDouble();
        Assert.True(Math.Abs(mean - exact) < 5 * se, $"mean {mean} ± {se}, exact {exact}");
        foreach (string bad in new[] { "0", "-2", "inf" })
        {
            var refused = Run("ssa", Example("periodic-immigration.rn"), "--t1", "1", "--extrande-window", bad);
            Assert.Equal(2, refused.Code);
            Assert.Contains("--extrande-window", refused.Err, StringComparison.Ordinal);
        }
        var other = Run("ssa", Model(ImmigrationDeath), "--t1", "1", "--method", "direct", "--extrande-window", "1");
        Assert.Equal(2, other.Code);
        Assert.Contains("extrande", other.Err, StringComparison.Ordinal);
        var (_, help, _) = Run("ssa", "--help");
        Assert.Contains("--extrande-window", help, StringComparison.Ordinal);
        Assert.Contains("rssa-cr", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_sbml_exits_2_naming_file_line_and_element()
    {
        string xml = File.ReadAllText(Example("michaelis-menten.xml"))
            .Replace("    </listOfReactions>\n", "    </listOfReactions>\n    <listOfEvents><event id=\"pulse\"/></listOfEvents>\n", StringComparison.Ordinal);
        string path = Path.Combine(Path.GetTempPath(), $"drift-ssa-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml);
        int line = Array.FindIndex(xml.Split('\n'), l => l.Contains("<event ", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0);
        var (code, output, error) = Run("ssa", "--sbml", path, "--t1", "1");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"{path}:{line}:", error, StringComparison.Ordinal);
        Assert.Contains("<event> 'pulse': events are not supported", error, StringComparison.Ordinal);
        var both = Run("ssa", Example("michaelis-menten.rn"), "--sbml", path, "--t1", "1");
        Assert.Equal(2, both.Code);
        Assert.Contains("not both", both.Err, StringComparison.Ordinal);
    }
}
