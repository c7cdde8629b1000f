using System.Text.Json.Nodes;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18: <c>drift price --shard i/N --state FILE</c> and <c>drift merge</c> give the unsharded report.</summary>
public sealed class PriceShardTests : IDisposable
{
    private static readonly string[] Pricing = ["price", "heston", "--paths", "6001", "--steps", "8", "--seed", "4"];
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-price-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Shards(int n, params string[] extra)
    {
        var files = new string[n];
        for (int i = 0; i < n; i++)
        {
            files[i] = Path.Combine(_dir, $"price-{i}-of-{n}{string.Concat(extra)}.state");
            var (code, _, err) = Run([.. Pricing, .. extra, "--shard", $"{i}/{n}", "--state", files[i], "--threads", "1"]);
            Assert.True(code == 0, err);
            Assert.Contains($"wrote shard {i}/{n}", err);
        }
        return files;
    }

    private static JsonObject Report(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("seconds");
        return node;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Merged_shards_report_the_unsharded_price_to_rounding(int n)
    {
        var (code, whole, err) = Run([.. Pricing, "--json"]);
        Assert.True(code == 0, err);
        var files = Shards(n);
        var (mergeCode, merged, mergeErr) = Run(["merge", .. files.Reverse(), "--json"]);
        Assert.True(mergeCode == 0, mergeErr);
        var a = Report(whole);
        var b = Report(merged);
        // Chan's merge in shard order against the unsharded block order: equal to rounding (a few ulps).
        double price = a["price"]!.GetValue<double>(), se = a["standardError"]!.GetValue<double>();
        Assert.Equal(price, b["price"]!.GetValue<double>(), 1e-13 * price);
        Assert.Equal(se, b["standardError"]!.GetValue<double>(), 1e-11 * se);
        foreach (string key in new[] { "price", "standardError", "z" }) { a.Remove(key); b.Remove(key); }
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
    }

    [Fact]
    public void Duplicate_missing_mismatched_and_corrupted_states_are_refused_by_name()
    {
        var files = Shards(3);
        Assert.Contains("shard 2 of 3 missing", Run("merge", files[0], files[1]).Err);
        Assert.Contains($"shard 0/3 is given twice: '{files[0]}' and '{files[0]}'", Run("merge", files[0], files[0], files[1]).Err);
        var other = Shards(3, "--strike", "90");
        var (code, _, err) = Run("merge", files[0], other[1], files[2]);
        Assert.Equal(2, code);
        Assert.Contains("are shards of different runs", err);

        byte[] bytes = File.ReadAllBytes(files[1]);
        bytes[30] ^= 1;
        File.WriteAllBytes(files[1], bytes);
        Assert.Contains($"state file '{files[1]}' is refused: its SHA-256 checksum does not match", Run("merge", files[0], files[1], files[2]).Err);
        File.WriteAllBytes(files[1], bytes[..40]);
        Assert.Contains("truncated", Run("merge", files[0], files[1], files[2]).Err);

        Assert.Contains("--method mc with the european payoff", Run("price", "--method", "qmc", "--shard", "0/2").Err);
        Assert.Contains("--target-se", Run("price", "--target-se", "0.1", "--shard", "0/2").Err);
    }
}
