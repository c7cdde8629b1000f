using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18, the tool: provenance records, "wrote FILE", --quiet/--verbose and interrupts, the same for every command.</summary>
public sealed class ToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Provenance_records_version_options_with_defaults_machine_times_exit_code_and_output_hashes()
    {
        string stats = Path.Combine(_dir, "stats.csv"), record = Path.Combine(_dir, "run.json");
        var (code, _, err) = Run("simulate", "gbm", "--paths", "200", "--steps", "10", "--output", stats, "--provenance", record);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(record));
        var r = doc.RootElement;
        Assert.False(string.IsNullOrEmpty(r.GetProperty("drift").GetProperty("version").GetString()));
        Assert.Matches("^([0-9a-f]{7,}|unknown)$", r.GetProperty("drift").GetProperty("commit").GetString());
        Assert.Equal("simulate", r.GetProperty("command").GetString());
        Assert.Equal(["simulate", "gbm", "--paths", "200", "--steps", "10", "--output", stats, "--provenance", record],
            r.GetProperty("commandLine").EnumerateArray().Select(e => e.GetString()!).ToArray());
        var options = r.GetProperty("options");
        Assert.Equal("200", options.GetProperty("paths").GetProperty("value").GetString());
        Assert.Equal("given", options.GetProperty("paths").GetProperty("source").GetString());
        Assert.Equal("1", options.GetProperty("seed").GetProperty("value").GetString());
        Assert.Equal("default", options.GetProperty("seed").GetProperty("source").GetString());
        Assert.False(options.GetProperty("json").GetProperty("value").GetBoolean());
        Assert.Equal(1UL, r.GetProperty("seed").GetUInt64());
        Assert.Equal(Environment.ProcessorCount, r.GetProperty("threads").GetInt32());
        Assert.Equal(Environment.ProcessorCount, r.GetProperty("machine").GetProperty("cpus").GetInt32());
        Assert.Contains(".NET", r.GetProperty("machine").GetProperty("dotnet").GetString());
        Assert.True(r.GetProperty("ended").GetDateTime() >= r.GetProperty("started").GetDateTime());
        Assert.Equal(0, r.GetProperty("exitCode").GetInt32());
        var output = Assert.Single(r.GetProperty("outputs").EnumerateArray());
        Assert.Equal(Path.GetFullPath(stats), output.GetProperty("path").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stats))), output.GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(stats).Length, output.GetProperty("bytes").GetInt64());
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Provenance_works_on_a_command_without_files_and_records_a_failing_exit_code()
    {
        string record = Path.Combine(_dir, "price.json");
        var (code, _, err) = Run("price", "--paths", "2000", "--seed", "9", "--threads", "1", "--provenance=" + record);
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(record)))
        {
            Assert.Equal(9UL, doc.RootElement.GetProperty("seed").GetUInt64());
            Assert.Equal(1, doc.RootElement.GetProperty("threads").GetInt32());
            Assert.Equal("100", doc.RootElement.GetProperty("options").GetProperty("strike").GetProperty("value").GetString());
            Assert.Empty(doc.RootElement.GetProperty("outputs").EnumerateArray());
        }
        Assert.Equal(2, Run("price", "--sigma", "x", "--provenance", record).Code);
        using (var doc = JsonDocument.Parse(File.ReadAllText(record))) Assert.Equal(2, doc.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, Run("price", "--provenance").Code);
        Assert.Equal(2, Run("price", "--provenance", Path.Combine(_dir, "no", "such", "dir.json")).Code);
    }

    [Fact]
    public void Every_file_written_is_named_on_stderr_quiet_silences_it_and_verbose_adds_options_and_times()
    {
        string stats = Path.Combine(_dir, "s.csv"), plot = Path.Combine(_dir, "p.png");
        var (code, _, err) = Run("simulate", "ou", "--paths", "50", "--steps", "20", "--output", stats, "--plot", plot);
        Assert.True(code == 0, err);
        Assert.Matches($@"drift: wrote {Regex.Escape(stats)} \([0-9.]+ (B|kB)\)", err);
        Assert.Matches($@"drift: wrote {Regex.Escape(plot)} \(\d+×\d+\)", err);

        var (quietCode, quietOut, quietErr) = Run("simulate", "ou", "--paths", "50", "--steps", "20", "--output", stats, "--quiet", "--json");
        Assert.Equal(0, quietCode);
        Assert.Equal("", quietErr);
        Assert.StartsWith("{", quietOut.TrimStart());
        // Errors still reach stderr under --quiet.
        Assert.Contains("unknown option --pathz", Run("simulate", "--pathz", "3", "--quiet").Err);

        var (verboseCode, _, verboseErr) = Run("simulate", "ou", "--paths", "50", "--steps", "20", "--verbose");
        Assert.Equal(0, verboseCode);
        Assert.Contains("drift: option --paths = 50 (given)", verboseErr);
        Assert.Contains("drift: option --seed = 1 (default)", verboseErr);
        Assert.Matches(@"drift: started \S+Z, ended \S+Z, [0-9.]+ s, exit 0", verboseErr);
        Assert.Equal(2, Run("simulate", "--quiet", "--verbose").Code);
    }

    [Fact]
    public void Interrupts_stop_every_command_with_130_and_no_output_file()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        string solution = Path.Combine(_dir, "solve.csv");
        foreach (string[] args in new[]
        {
            new[] { "solve", "lorenz", "--t1", "1", "--output", solution },
            ["price", "heston", "--paths", "20000", "--steps", "10"],
            ["mcmc", "gaussian", "--draws", "200", "--warmup", "100", "--output", solution],
            ["diffuse", "sample", "--target", "ring8", "--n", "200", "--steps", "10", "--output", solution],
            ["diffuse", "sample", "--target", "gauss2d", "--steer", "fkc-anneal", "--beta", "0.5", "--particles", "64", "--steps", "10", "--output", solution],
        })
        {
            var stderr = new StringWriter();
            int code = CliApp.Run(args, new StringWriter(), stderr, cancelled.Token);
            Assert.True(code == CliApp.Interrupted, $"{string.Join(' ', args)}: exit {code}: {stderr}");
            Assert.Contains("drift: interrupted", stderr.ToString());
            Assert.False(File.Exists(solution));
            Assert.True(CliApp.HonoursCancellation(args));
        }
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
