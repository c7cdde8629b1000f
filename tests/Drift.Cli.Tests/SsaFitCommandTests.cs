using System.Globalization;
using System.Text.Json;
using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary><c>drift ssa --every-event</c>, <c>drift ssa --plot --hist-at</c> and <c>drift ssa fit</c>.</summary>
public class SsaFitCommandTests
{
    private const string ImmigrationDeath = "species A = 0\n0 -> A, 10\nA -> 0, 1\n";

    private static string Temp(string extension, string? text = null)
    {
        string path = Path.Combine(Path.GetTempPath(), $"drift-ssafit-{Guid.NewGuid():N}{extension}");
        if (text is not null) File.WriteAllText(path, text);
        return path;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Every_event_paths_are_piecewise_constant_and_fit_reads_them_back_as_the_library_closed_form()
    {
        string model = Temp(".rn", ImmigrationDeath), csv = Temp(".csv");
        var (code, _, error) = Run("ssa", model, "--runs", "12", "--t1", "2", "--seed", "4", "--every-event", "--output-paths", csv, "--threads", "2");
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,run,A", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(f => (T: D(f[0]), Run: int.Parse(f[1], CultureInfo.InvariantCulture), A: long.Parse(f[2], CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(Enumerable.Range(0, 12), rows.Select(r => r.Run).Distinct());
        foreach (var run in rows.GroupBy(r => r.Run))
        {
            var r = run.ToArray();
            Assert.Equal((0.0, 0L), (r[0].T, r[0].A));
            Assert.Equal(2.0, r[^1].T);
            for (int k = 1; k < r.Length - 1; k++) Assert.Equal(1, Math.Abs(r[k].A - r[k - 1].A)); // one birth or death per row
            Assert.Equal(r[^2].A, r[^1].A); // the closing row at t1 repeats the last state
        }

        var (fitCode, output, fitError) = Run("ssa", "fit", model, "--data", csv, "--json");
        Assert.True(fitCode == 0, fitError);
        var network = ReactionNetwork.Parse(ImmigrationDeath);
        var expected = RateInference.FromTrajectories([.. Enumerable.Range(0, 12).Select(r => JumpSimulator.Trajectory(network, JumpMethod.Direct, 2, new JumpOptions { Seed = 4 }, r))]);
        using var doc = JsonDocument.Parse(output);
        var rates = doc.RootElement.GetProperty("rates");
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(expected.For(j).Estimate, rates[j].GetProperty("estimate").GetDouble(), 12);
            Assert.Equal(expected.For(j).Lower, rates[j].GetProperty("lower").GetDouble(), 12);
            Assert.Equal(expected.For(j).Upper, rates[j].GetProperty("upper").GetDouble(), 12);
        }
        Assert.Equal("0 -> A", rates[0].GetProperty("label").GetString());
        Assert.Equal("A -> 0", rates[1].GetProperty("label").GetString());
    }

    [Fact]
    public void Every_event_is_one_pass_with_the_statistics_of_the_plain_run_and_the_paths_of_the_library()
    {
        // the file is written by the ensemble's trajectory sink: its statistics are those of the run without
        // --every-event (same seed, same bits), its events sum to the run's event count, and each run's rows are the
        // library's trajectory of that run (what the former second pass wrote)
        string model = Temp(".rn", ImmigrationDeath), csv = Temp(".csv");
        string[] common = ["--runs", "300", "--t1", "1.5", "--seed", "8", "--json", "--save-every", "0.5"];
        var events = Run(["ssa", model, .. common, "--every-event", "--output-paths", csv, "--threads", "2"]);
        var plain = Run(["ssa", model, .. common, "--threads", "1"]);
        Assert.True(events.Code == 0, events.Err);
        static string Components(string json) => JsonDocument.Parse(json).RootElement.GetProperty("components").GetRawText();
        Assert.Equal(Components(plain.Out), Components(events.Out));
        var lines = File.ReadAllLines(csv);
        var network = ReactionNetwork.Parse(ImmigrationDeath);
        var expected = new List<string> { "time,run,A" };
        long total = 0;
        for (int r = 0; r < 300; r++)
        {
            var path = JumpSimulator.Trajectory(network, JumpMethod.Direct, 1.5, new JumpOptions { Seed = 8 }, r);
            total += path.EventCount;
            long a = 0;
            expected.Add($"0,{r},0");
            for (int e = 0; e < path.EventCount; e++)
            {
                a += network.NetChange(path.Reactions[e], 0);
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"{path.EventTimes[e]:R},{r},{a}"));
            }
            expected.Add($"1.5,{r},{a}");
        }
        Assert.Equal(expected, lines);
        using var doc = JsonDocument.Parse(events.Out);
        Assert.Contains($" {total} events", events.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_list_gives_firings_over_exposure_in_a_table()
    {
        // births at 0.5 and 1, a death at 1.5, window [0, 2]: immigration n = 2 over E = 2, death n = 1 over ∫A dt = 2
        string model = Temp(".rn", ImmigrationDeath);
        string data = Temp(".csv", "time,reaction\n0.5,0\n1.0,0\n1.5,1\n");
        var (code, output, error) = Run("ssa", "fit", model, "--data", data, "--t1", "2");
        Assert.True(code == 0, error);
        var c0 = output.Split('\n').Single(l => l.StartsWith("c0 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var c1 = output.Split('\n').Single(l => l.StartsWith("c1 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1.0, D(c0[5]), 10);   // c0 0 -> A line estimate ...
        Assert.Equal(0.5, D(c1[5]), 10);
        Assert.Contains("profile-likelihood", output);
    }

    [Fact]
    public void Sparse_grid_output_is_fitted_with_wald_intervals()
    {
        // exact counts of 8 runs at t = 0.5, 1, 1.5, 2 from drift ssa's own grid output (columns time,path,A), then the
        // FSP fit (early times: at t ≥ 1 alone the law is near stationary and only the ratio of the rates is identified)
        string model = Temp(".rn", ImmigrationDeath), grid = Temp(".csv");
        var (code, _, error) = Run("ssa", model, "--runs", "8", "--t1", "2", "--save-every", "0.5", "--seed", "2", "--output-paths", grid);
        Assert.True(code == 0, error);
        var (fitCode, output, fitError) = Run("ssa", "fit", model, "--data", grid, "--noise", "exact", "--max-counts", "35", "--json");
        Assert.True(fitCode == 0, fitError);
        using var doc = JsonDocument.Parse(output);
        var rates = doc.RootElement.GetProperty("rates");
        Assert.Equal(35, doc.RootElement.GetProperty("maxCounts")[0].GetInt64());
        double[] truth = [10, 1];
        for (int j = 0; j < 2; j++)
        {
            double lower = rates[j].GetProperty("lower").GetDouble(), upper = rates[j].GetProperty("upper").GetDouble();
            Assert.InRange(truth[j], lower, upper);
            Assert.True(upper / lower < 5, $"interval [{lower}, {upper}] is vacuous");
        }
    }

    [Fact]
    public void Bayes_on_every_event_paths_reports_the_posterior_with_diagnostics()
    {
        // full paths (analytic gradient, so the NUTS run is cheap); the sparse-data posterior is checked in
        // Drift.Sampling.Tests.RatePosteriorTests
        string model = Temp(".rn", ImmigrationDeath), csv = Temp(".csv");
        Assert.Equal(0, Run("ssa", model, "--runs", "5", "--t1", "2", "--seed", "6", "--every-event", "--output-paths", csv).Code);
        var (code, output, error) = Run("ssa", "fit", model, "--data", csv, "--bayes", "--prior", "lognormal:1,2", "--chains", "2", "--warmup", "200", "--draws", "200", "--seed", "3", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("prior").GetProperty("sigma").GetDouble());
        var rates = doc.RootElement.GetProperty("rates");
        double[] truth = [10, 1];
        for (int j = 0; j < 2; j++)
        {
            double mean = rates[j].GetProperty("mean").GetDouble(), sd = rates[j].GetProperty("sd").GetDouble();
            Assert.True(Math.Abs(mean - truth[j]) < 4 * sd, $"c{j}: posterior {mean} ± {sd}, truth {truth[j]}");
            Assert.True(rates[j].GetProperty("rhat").GetDouble() < 1.1);
            Assert.True(rates[j].GetProperty("ess_bulk").GetDouble() > 50);
            Assert.True(rates[j].GetProperty("q5").GetDouble() < rates[j].GetProperty("q95").GetDouble());
        }
        var (tableCode, table, _) = Run("ssa", "fit", model, "--data", csv, "--bayes", "--chains", "2", "--warmup", "100", "--draws", "100");
        Assert.Equal(0, tableCode);
        Assert.Contains("ln c ~ N(0, 3^2)", table);
        Assert.Contains("rhat", table);
    }

    [Theory]
    [InlineData("time,A\n0,3\n1,4\n", "no column for species B")]
    [InlineData("time,A,B\n0,3,0\n1,2,1\n0.5,1,2\n", "must be sorted by time")]
    [InlineData("time,A,B\n0,3,0\n1,-1,0\n", "negative count")]
    [InlineData("time,A,C\n0,3,0\n", "column 'C' is neither")]
    [InlineData("time,A,B\n0,3,0\n1,1,1\n", "no single reaction's net change")]
    [InlineData("A,B\n3,0\n", "no 'time' column")]
    public void Bad_data_exit_2_with_the_reason(string data, string reason)
    {
        string model = Temp(".rn", "species A = 3, B = 0\nA -> B, 1\nB -> 0, 0.5\n");
        var (code, _, error) = Run("ssa", "fit", model, "--data", Temp(".csv", data));
        Assert.Equal(2, code);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Bad_options_exit_2_with_the_reason()
    {
        string model = Temp(".rn", ImmigrationDeath), data = Temp(".csv", "time,A\n1,3\n2,5\n");
        Assert.Contains("--noise", Run("ssa", "fit", model, "--data", data, "--noise", "poisson:2").Err);
        Assert.Contains("lognormal:MU,SIGMA", Run("ssa", "fit", model, "--data", data, "--noise", "exact", "--bayes", "--prior", "gamma:1,1").Err);
        Assert.Contains("go with --bayes", Run("ssa", "fit", model, "--data", data, "--noise", "exact", "--chains", "2").Err);
        Assert.Contains("--data", Run("ssa", "fit", model).Err);
        Assert.Contains("--every-event needs an exact method", Run("ssa", model, "--t1", "1", "--method", "tau-leap", "--every-event", "--output-paths", Temp(".csv")).Err);
        Assert.Contains("--hist-at", Run("ssa", model, "--t1", "1", "--plot", Temp(".png"), "--hist-at", "2").Err);
        var (code, help, _) = Run("ssa", "fit", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--data", "--noise", "--max-counts", "--level", "--t1", "--bayes", "--prior", "--chains", "--warmup", "--draws", "--seed", "--json" })
            Assert.Contains(option, help);
        Assert.Contains("--every-event", Run("ssa", "--help").Out);
        Assert.Contains("--hist-at", Run("ssa", "--help").Out);
    }

    [Fact]
    public void Plot_has_bands_and_histograms_at_the_chosen_times()
    {
        string model = Temp(".rn", "species A = 0, B = 0\n0 -> A, 10\nA -> B, 1\nB -> 0, 0.5\n"), png = Temp(".png");
        var (code, _, error) = Run("ssa", model, "--runs", "300", "--t1", "4", "--plot", png, "--hist-at", "0.5,1.25,4", "--seed", "1");
        Assert.True(code == 0, error);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        Assert.True(bytes.Length > 30_000, $"a {bytes.Length}-byte PNG is too small to hold four panels");
    }
}
