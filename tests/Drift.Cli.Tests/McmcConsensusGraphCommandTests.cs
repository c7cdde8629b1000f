using System.Globalization;
using System.Text.Json;
using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// <c>drift mcmc --sampler cbs</c> and <c>--sampler srrw</c> against closed forms, <c>--output FILE.npy</c>, and the R̂/ESS
/// columns of independent-run summaries (SMC, CBS).
/// </summary>
public class McmcConsensusGraphCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-mcmc-cg-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A .npy file's 2-D shape and float64 data, read by hand (Drift.IO.NpyReader refuses NaN, which sampler columns hold).</summary>
    private static ((int, int) Shape, double[] Data) ReadNpy(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f8'", header, StringComparison.Ordinal);
        var shape = Regex.Match(header, @"'shape': \((\d+), (\d+)\)");
        int rows = int.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture), columns = int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture);
        var data = new double[rows * columns];
        for (int k = 0; k < data.Length; k++) data[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + headerLength + 8 * k));
        Assert.Equal(10 + headerLength + 8 * data.Length, bytes.Length);
        return ((rows, columns), data);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// CBS in sampling mode on a = N(3, 0.5²), b = N(−1, 2²): for a Gaussian e^{−f} the paper's invariant law is the target
    /// itself (Carrillo, Hoffmann, Stuart &amp; Vaes 2022), so each mean must lie within 4 mcse_mean (the spread of 4
    /// independent runs) of the truth. The sd's finite-N bias is O(1/N) (−4 % measured at N = 1000 in CbsTests), so it gets
    /// ±8 %. The draws go to .npy: (runs·N, 2 + 9) with the column names beside it.
    /// </summary>
    [Fact]
    public void Cbs_samples_a_gaussian_model_within_mcse_and_writes_npy()
    {
        string model = Write("g.drift", "param a\nparam b\na ~ normal(3, 0.5)\nb ~ normal(-1, 2)\n");
        string npy = Path.Combine(_dir, "cbs.npy");
        var (code, output, err) = Run("mcmc", model, "--sampler", "cbs", "--chains", "4", "--particles", "1000", "--iterations", "30", "--seed", "2", "--json", "--output", npy);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("sampling", doc.RootElement.GetProperty("mode").GetString());
        Assert.Equal(0.5, doc.RootElement.GetProperty("lambda").GetDouble(), 12); // 1/(1 + beta), beta = 1
        double[] mean = [3, -1], sd = [0.5, 2];
        var parameters = doc.RootElement.GetProperty("parameters");
        for (int i = 0; i < 2; i++)
        {
            var p = parameters[i];
            double m = p.GetProperty("mean").GetDouble(), mcse = p.GetProperty("mcse_mean").GetDouble(), s = p.GetProperty("sd").GetDouble();
            Assert.True(mcse > 0 && mcse < 0.05 * sd[i], $"mcse {mcse}");
            Assert.True(Math.Abs(m - mean[i]) < 4 * mcse, $"{p.GetProperty("name")}: mean {m} vs {mean[i]} ({(m - mean[i]) / mcse:F2} MCSE)");
            Assert.InRange(s, 0.92 * sd[i], 1.08 * sd[i]);
            Assert.Equal(4000, p.GetProperty("ess").GetDouble(), 6);
            Assert.InRange(p.GetProperty("rhat").GetDouble(), 0.99, 1.01);
        }
        var array = ReadNpy(npy);
        Assert.Equal((4000, 11), array.Shape);
        Assert.Equal(["chain", "draw", "a", "b", "accept_stat", "stepsize", "treedepth", "n_leapfrog", "divergent", "energy", "lp"], File.ReadAllLines(npy + ".columns"));
        Assert.Equal(4, array.Data[3999 * 11]); // chain of the last row
        Assert.Equal(1000, array.Data[3999 * 11 + 1]);
        Assert.Equal(parameters[0].GetProperty("mean").GetDouble(), Enumerable.Range(0, 4000).Average(r => array.Data[r * 11 + 2]), 9);
    }

    /// <summary>
    /// SRRW (α = 2) and its base walk (α = 0) on the 8-node graph of SelfRepellentWalkTests, from an edge-list file: the
    /// total Σᵢ n·Var(xₙ(i)) of each, over 200 walks, within 4 standard errors of the paper's formula (1.058 base, 0.187
    /// SRRW: a 5.6× reduction), and every node's frequency within 4 standard errors of its target μᵢ = deg i / 2|E|.
    /// </summary>
    [Fact]
    public void Srrw_on_an_edge_list_matches_the_variance_formula_and_the_target()
    {
        string graph = Write("g.edges", "# 8-cycle with chords\n0 1\n1 2\n2 3\n3 4\n4 5\n5 6\n6 7\n7 0\n0 2\n0 4\n3 6\n5 7\n2 0\n");
        var (code, output, err) = Run("mcmc", graph, "--sampler", "srrw", "--alpha", "2", "--chains", "200", "--draws", "2000", "--seed", "42", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("edges").GetInt32());
        foreach (string prefix in new[] { "", "base_" })
        {
            double measured = root.GetProperty(prefix + "nvar_total").GetDouble(), se = root.GetProperty(prefix + "nvar_total_se").GetDouble();
            double formula = root.GetProperty(prefix + "formula_total").GetDouble();
            Assert.True(Math.Abs(measured - formula) < 4 * se, $"{prefix}nvar {measured} ± {se} vs formula {formula}");
        }
        Assert.Equal(1.0584, root.GetProperty("base_formula_total").GetDouble(), 3);
        Assert.True(root.GetProperty("base_nvar_total").GetDouble() / root.GetProperty("nvar_total").GetDouble() > 4);
        foreach (var node in root.GetProperty("nodes_detail").EnumerateArray())
        {
            double target = node.GetProperty("target").GetDouble(), f = node.GetProperty("frequency").GetDouble(), se = node.GetProperty("frequency_se").GetDouble();
            Assert.Equal(node.GetProperty("degree").GetInt32() / 24.0, target, 12);
            Assert.True(Math.Abs(f - target) < 4 * se, $"node {node.GetProperty("node")}: {f} vs {target}");
        }
        var (tableCode, table, _) = Run("mcmc", "petersen", "--sampler", "srrw", "--base-walk", "mh", "--chains", "20", "--draws", "500");
        Assert.Equal(0, tableCode);
        Assert.Contains("variance reduction: measured", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no warm-up", "mcmc", "petersen", "--sampler", "srrw", "--warmup", "10")]
    [InlineData("no --output", "mcmc", "petersen", "--sampler", "srrw", "--output", "x.csv")]
    [InlineData("--base-walk 'x'", "mcmc", "petersen", "--sampler", "srrw", "--base-walk", "x")]
    [InlineData("no such file", "mcmc", "missing.edges", "--sampler", "srrw")]
    [InlineData("--cbs-mode 'both'", "mcmc", "gaussian", "--sampler", "cbs", "--cbs-mode", "both")]
    public void Bad_consensus_and_graph_input_is_refused_in_words(string expected, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_loop_in_an_edge_list_names_its_line()
    {
        string graph = Write("loop.edges", "0 1\n1 1\n");
        var (code, _, err) = Run("mcmc", graph, "--sampler", "srrw");
        Assert.Equal(2, code);
        Assert.Contains("loop.edges:2", err, StringComparison.Ordinal);
        Assert.Contains("self-loop", err, StringComparison.Ordinal);
    }

    /// <summary>SMC's table: ess and R̂ across runs with two runs; with one run no R̂ column, and a line says why.</summary>
    [Fact]
    public void Smc_summary_has_ess_and_rhat_across_runs_or_says_why_not()
    {
        string model = Write("m.drift", "data y: vector[2]\nparam mu\nmu ~ normal(0, 2)\ny ~ normal(mu, 1)\n");
        string data = Write("m.json", """{"y": [0.5, 1.5]}""");
        var (code, output, err) = Run("mcmc", model, "--data", data, "--sampler", "smc", "--chains", "2", "--draws", "200", "--quiet");
        Assert.True(code == 0, err);
        string header = output.Split('\n').First(l => l.StartsWith("param", StringComparison.Ordinal));
        Assert.EndsWith("ess    rhat", header.TrimEnd(), StringComparison.Ordinal);
        string row = output.Split('\n').First(l => l.StartsWith("mu ", StringComparison.Ordinal));
        double rhat = double.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
        Assert.InRange(rhat, 0.98, 1.05);
        (code, output, _) = Run("mcmc", model, "--data", data, "--sampler", "smc", "--chains", "1", "--draws", "200", "--quiet");
        Assert.Equal(0, code);
        Assert.DoesNotContain("rhat", output.Split('\n').First(l => l.StartsWith("param", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("no rhat: R-hat compares independent runs and there is one", output, StringComparison.Ordinal);
    }

    /// <summary>NUTS draws as .npy equal the CSV's, value for value.</summary>
    [Fact]
    public void Nuts_draws_as_npy_equal_the_csv()
    {
        string npy = Path.Combine(_dir, "d.npy"), csv = Path.Combine(_dir, "d.csv");
        Assert.Equal(0, Run("mcmc", "banana", "--chains", "2", "--warmup", "50", "--draws", "20", "--seed", "4", "--quiet", "--output", npy).Code);
        Assert.Equal(0, Run("mcmc", "banana", "--chains", "2", "--warmup", "50", "--draws", "20", "--seed", "4", "--quiet", "--output", csv).Code);
        var array = ReadNpy(npy);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(lines[0].Split(','), File.ReadAllLines(npy + ".columns"));
        Assert.Equal((40, 11), array.Shape);
        for (int r = 0; r < 40; r++)
        {
            var fields = lines[r + 1].Split(',');
            for (int j = 0; j < 11; j++) Assert.Equal(double.Parse(fields[j], CultureInfo.InvariantCulture), array.Data[r * 11 + j]);
        }
    }
}
