using System.Text.Json.Nodes;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

public sealed class MergeCommandTests : IDisposable
{
    private static readonly string[] Simulation = ["simulate", "lorenz", "--paths", "1500", "--t1", "1", "--steps", "50", "--seed", "5", "--threads", "2", "--param", "sigma=3"];
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The JSON report without its timing fields.</summary>
    private static string WithoutTiming(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("seconds");
        node.Remove("pathStepsPerSecond");
        return node.ToJsonString();
    }

    private string[] RunShards(int n, string[]? simulation = null)
    {
        var files = new string[n];
        for (int i = 0; i < n; i++)
        {
            files[i] = Path.Combine(_dir, $"shard-{i}-of-{n}.state");
            var (code, _, err) = Run([.. simulation ?? Simulation, "--shard", $"{i}/{n}", "--state", files[i], "--json"]);
            Assert.True(code == 0, err);
            Assert.Contains($"wrote shard {i}/{n}", err);
        }
        return files;
    }

    [Fact]
    public void Shards_run_through_the_cli_merge_into_the_unsharded_json()
    {
        var (code, whole, err) = Run([.. Simulation, "--json"]);
        Assert.True(code == 0, err);
        var files = RunShards(7);
        var (mergeCode, merged, mergeErr) = Run(["merge", .. files.Reverse(), "--json"]);
        Assert.True(mergeCode == 0, mergeErr);
        Assert.Equal(WithoutTiming(whole), WithoutTiming(merged));
        Assert.Contains("merged 7 shards", mergeErr);

        // The table (no --json) and a statistics file work too.
        string csv = Path.Combine(_dir, "stats.csv");
        var (tableCode, table, _) = Run(["merge", .. files, "--output", csv]);
        Assert.Equal(0, tableCode);
        Assert.Contains("mean", table);
        Assert.True(File.Exists(csv));
    }

    [Fact]
    public void Missing_duplicate_corrupted_and_mismatched_states_exit_2_naming_the_files()
    {
        AssertShardSetRefusals(_dir, RunShards(3), [.. Simulation, "--param", "rho=20"]);
    }

    /// <summary>
    /// The refusals every kind of state shares (one mechanism, <c>Shard.Arrange</c> and <c>StateFile</c>): of three shards
    /// <paramref name="files"/>, a missing one, a duplicate, a corrupted checksum, and shard 1 of another run
    /// (<paramref name="otherRun"/>, the same command with one result-changing option altered) exit 2 naming the files.
    /// </summary>
    internal static void AssertShardSetRefusals(string dir, string[] files, string[] otherRun)
    {
        var (code, _, err) = Run("merge", files[0], files[2]);
        Assert.Equal(2, code);
        Assert.Contains("shard 1 of 3 missing", err);

        (code, _, err) = Run("merge", files[0], files[1], files[1], files[2]);
        Assert.Equal(2, code);
        Assert.Contains($"'{files[1]}' and '{files[1]}' are both shard 1/3", err);

        byte[] bytes = File.ReadAllBytes(files[1]);
        bytes[^40] ^= 1;
        string corrupted = Path.Combine(dir, "corrupted.state");
        File.WriteAllBytes(corrupted, bytes);
        (code, _, err) = Run("merge", files[0], corrupted, files[2]);
        Assert.Equal(2, code);
        Assert.Contains(corrupted, err);
        Assert.Contains("checksum", err);

        string other = Path.Combine(dir, "other.state");
        (code, _, err) = Run([.. otherRun, "--shard", "1/3", "--state", other]);
        Assert.True(code == 0, err);
        (code, _, err) = Run("merge", files[0], other, files[2]);
        Assert.Equal(2, code);
        Assert.Contains(other, err);
        Assert.Contains("not shards of one run", err);
    }

    [Fact]
    public void Bad_shard_options_are_usage_errors()
    {
        Assert.Equal(2, Run([.. Simulation, "--shard", "3/3"]).Code);
        Assert.Equal(2, Run([.. Simulation, "--shard", "a/3"]).Code);
        Assert.Equal(2, Run([.. Simulation, "--shard", "0/2000"]).Code);
        Assert.Equal(2, Run("simulate", "gbm", "--paths", "100", "--rtol", "1e-3", "--shard", "0/2").Code);
        Assert.Equal(2, Run("merge").Code);
        Assert.Equal(2, Run("merge", Path.Combine(_dir, "absent.state")).Code);
    }
}
