using System.Text.Json.Nodes;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// Issue 18's contract for the ensemble commands beyond simulate and price: shards of <c>drift ssa</c> (runs) and
/// <c>drift mcmc</c> (chains) and <c>drift diffuse sample</c> (samples) merged by <c>drift merge</c> in any order print exactly the unsharded JSON (timing aside)
/// and write the same CSV; duplicate, missing and mismatched shards are refused naming the files. Tiny runs (a few
/// hundred jump runs, 7 chains of 50 draws) keep the class well under a second of sampling.
/// </summary>
public sealed class ShardedCommandsTests : IDisposable
{
    private static readonly string Network = RepositoryPath("examples", "jumps", "dimerisation.rn");
    private static readonly string[] Ssa = ["ssa", Network, "--runs", "300", "--t1", "1", "--seed", "3", "--save-every", "0.5", "--threads", "2"];
    private static readonly string[] Chains = ["mcmc", "gaussian", "--dim", "2", "--chains", "7", "--warmup", "60", "--draws", "40", "--seed", "4", "--quiet"];
    private static readonly string[] Samples = ["diffuse", "sample", "--target", "ring8", "--n", "150", "--steps", "6", "--seed", "2"];
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string WithoutTiming(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("seconds");
        node.Remove("pathStepsPerSecond");
        return node.ToJsonString();
    }

    private string[] Shards(string[] command, int n, string tag)
    {
        var files = new string[n];
        for (int i = 0; i < n; i++)
        {
            files[i] = Path.Combine(_dir, $"{tag}-{i}-of-{n}.state");
            var (code, _, err) = Run([.. command, "--shard", $"{i}/{n}", "--state", files[i]]);
            Assert.True(code == 0, err);
            Assert.Contains($"wrote shard {i}/{n}", err);
        }
        return files;
    }

    private void AssertMergesToWhole(string[] command, string tag, params int[] shardCounts)
    {
        string wholeCsv = Path.Combine(_dir, $"{tag}-whole.csv");
        var (code, whole, err) = Run([.. command, "--json", "--output", wholeCsv]);
        Assert.True(code == 0, err);
        foreach (int n in shardCounts)
        {
            var files = Shards(command, n, tag);
            string csv = Path.Combine(_dir, $"{tag}-merged-{n}.csv");
            var (mergeCode, merged, mergeErr) = Run(["merge", .. files.Reverse(), "--json", "--output", csv]);
            Assert.True(mergeCode == 0, mergeErr);
            Assert.Equal(WithoutTiming(whole), WithoutTiming(merged));
            Assert.Equal(File.ReadAllText(wholeCsv), File.ReadAllText(csv));
        }
    }

    [Fact]
    public void Ssa_shards_1_2_3_7_merge_into_the_unsharded_json_and_csv() => AssertMergesToWhole(Ssa, "direct", 1, 2, 3, 7);

    [Theory]
    [InlineData("nrm")]
    [InlineData("sorting")]
    [InlineData("rssa")]
    [InlineData("rssa-cr")]
    [InlineData("tau-leap")]
    [InlineData("cle")]
    public void Every_stochastic_ssa_method_shards(string method) => AssertMergesToWhole([.. Ssa, "--method", method], method, 3);

    [Fact]
    public void Merge_plots_joined_chains_and_samples_and_refuses_a_plot_of_statistics()
    {
        foreach (var (command, tag) in new[] { (Chains, "plot-mcmc"), (Samples, "plot-diffuse") })
        {
            var files = Shards(command, 2, tag);
            string png = Path.Combine(_dir, tag + ".png");
            var (code, _, err) = Run(["merge", files[1], files[0], "--plot", png]);
            Assert.True(code == 0, err);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', tag);
        }
        var ssa = Shards(Ssa, 2, "plot-ssa");
        var (refused, _, why) = Run("merge", ssa[0], ssa[1], "--plot", Path.Combine(_dir, "ssa.png"));
        Assert.Equal(2, refused);
        Assert.Contains("hold statistics, not the paths", why);
        Assert.False(File.Exists(Path.Combine(_dir, "ssa.png")));
    }

    [Fact]
    public void Ssa_ode_refuses_a_shard_with_the_reason()
    {
        var (code, _, err) = Run([.. Ssa, "--method", "ode", "--shard", "0/2", "--state", Path.Combine(_dir, "ode.state")]);
        Assert.Equal(2, code);
        Assert.Contains("deterministic", err);
    }

    [Fact]
    public void Mcmc_chain_shards_1_2_3_7_merge_into_the_unsharded_json_and_draws() => AssertMergesToWhole(Chains, "nuts", 1, 2, 3, 7);

    [Theory]
    [InlineData("euler-maruyama", 7)]
    [InlineData("dpmpp-2m", 2)]
    [InlineData("ode-tsit5", 3)]
    public void Diffuse_sample_shards_merge_into_the_unsharded_metrics_and_samples(string sampler, int shards) =>
        AssertMergesToWhole([.. Samples, "--sampler", sampler], sampler, 1, shards);

    [Fact]
    public void Diffuse_steering_refuses_a_shard_saying_why()
    {
        var (code, _, err) = Run([.. Samples, "--steer", "fk", "--reward", "gauss:1,0:0.5", "--shard", "0/2"]);
        Assert.Equal(2, code);
        Assert.Contains("resamples across all particles", err);
    }

    [Fact]
    public void Mcmc_refuses_shards_of_samplers_that_do_not_run_independent_chains()
    {
        var (code, _, err) = Run([.. Chains, "--sampler", "cbo", "--shard", "0/2"]);
        Assert.Equal(2, code);
        Assert.Contains("--shard", err);
    }

    [Theory]
    [InlineData("ssa")]
    [InlineData("mcmc")]
    [InlineData("diffuse")]
    public void Missing_duplicate_corrupted_and_mismatched_shards_exit_2_naming_the_files(string kind)
    {
        string[] command = kind switch { "ssa" => Ssa, "mcmc" => Chains, _ => Samples };
        var files = Shards(command, 3, kind);
        MergeCommandTests.AssertShardSetRefusals(_dir, files, [.. command, "--seed", "99"]);

        // A state of another kind (simulate) among them is refused too.
        string simulate = Path.Combine(_dir, "simulate.state");
        var (code, _, err) = Run("simulate", "gbm", "--paths", "10", "--steps", "2", "--state", simulate);
        Assert.Equal(0, code);
        (code, _, err) = Run("merge", files[0], simulate);
        Assert.Equal(2, code);
        Assert.Contains(simulate, err);
    }
}
