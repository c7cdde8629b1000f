using System.Diagnostics;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// Issue 18, "Proof": every reader the tool has — text models (.drift), reaction networks (.rn), SBML, density data
/// (JSON), point clouds (CSV and .npy), Gaussian-mixture JSON and shard state files — is fed truncated, byte-mutated and
/// random versions of a valid file. Each run must end with a documented exit code (0, 1, 2, 3 or 130 after its budget),
/// never with an escaped exception, and return promptly once its cancellation token fires (no hang). CI runs
/// <see cref="CiMutationsPerSeed"/> mutations of each seed; <c>DRIFT_FUZZ_INVOCATIONS=N</c> spreads N over the seeds.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private const int CiMutationsPerSeed = 12;

    private readonly string _dir = Directory.CreateTempSubdirectory("drift-reader-fuzz").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A valid file of one reader and the command that reads it ({0} is the mutated file's path).</summary>
    private sealed record Seed(string Name, byte[] Bytes, string[] Command);

    [Fact]
    public void Truncated_mutated_and_random_files_end_with_a_documented_exit_code_and_never_hang()
    {
        var seeds = Seeds();
        int total = int.TryParse(Environment.GetEnvironmentVariable("DRIFT_FUZZ_INVOCATIONS"), out int n) && n > 0 ? n : CiMutationsPerSeed * seeds.Count;
        int perSeed = Math.Max(1, total / seeds.Count);
        var random = new System.Random(20261208);
        var budget = TimeSpan.FromMilliseconds(400);
        var codes = new Dictionary<int, int>();
        foreach (var seed in seeds)
        {
            // The seed itself must be read (exit 0): otherwise the mutations would only test one early refusal.
            Assert.True(Invoke(seed, seed.Bytes, TimeSpan.FromSeconds(60), -1) == 0, $"the seed {seed.Name} is not read");
            for (int k = 0; k < perSeed; k++)
            {
                byte[] bytes = Mutate(seed.Bytes, random);
                int code = Invoke(seed, bytes, budget, k);
                codes[code] = codes.GetValueOrDefault(code) + 1;
            }
        }
        // The mutations must reach past the first check: some are still read, some refused.
        Assert.True(codes.GetValueOrDefault(2) > 0, $"exit codes {string.Join(", ", codes.Select(p => $"{p.Key}: {p.Value}"))}");
        Assert.True(codes.GetValueOrDefault(0) + codes.GetValueOrDefault(3) + codes.GetValueOrDefault(130) > 0,
            $"exit codes {string.Join(", ", codes.Select(p => $"{p.Key}: {p.Value}"))}");
    }

    private int Invoke(Seed seed, byte[] bytes, TimeSpan budget, int k)
    {
        string file = Path.Combine(_dir, "fuzz-" + seed.Name);
        File.WriteAllBytes(file, bytes);
        string[] args = [.. seed.Command.Select(a => a.Replace("{0}", file, StringComparison.Ordinal))];
        using var cancel = new CancellationTokenSource(budget);
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = CliApp.Run(args, new StringWriter(), new StringWriter(), cancel.Token);
        }
        catch (Exception e)
        {
            Assert.Fail($"{seed.Name} mutation {k}: drift {string.Join(' ', args)}\nescaped with {e.GetType().Name}: {e.Message}");
            return -1;
        }
        Assert.True(code is 0 or 1 or 2 or 3 or 130, $"{seed.Name} mutation {k}: exited {code}");
        // A run stops at its next block once the token fires; 20 s past the budget is a hang even on a loaded machine.
        Assert.True(clock.Elapsed < budget + TimeSpan.FromSeconds(20), $"{seed.Name} mutation {k}: took {clock.Elapsed.TotalSeconds:F1} s");
        return code;
    }

    /// <summary>One of: a truncation, one to eight bytes set to random values, or random bytes of a random length.</summary>
    private static byte[] Mutate(byte[] seed, System.Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return seed[..random.Next(seed.Length)];
            case 1:
                byte[] copy = (byte[])seed.Clone();
                int flips = 1 + random.Next(8);
                for (int i = 0; i < flips; i++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            default:
                byte[] noise = new byte[random.Next(1, 512)];
                random.NextBytes(noise);
                return noise;
        }
    }

    private List<Seed> Seeds()
    {
        string cloud = Path.Combine(_dir, "cloud.csv");
        File.WriteAllText(cloud, "x,y\n0,0\n1,0\n0,1\n1,1\n0.5,0.5\n");
        string npy = Path.Combine(_dir, "samples.npy");
        Assert.Equal(0, Run("diffuse", "sample", "--target", "gauss2d", "--n", "8", "--steps", "4", "--output", npy).Code);
        string state = Path.Combine(_dir, "shard.state");
        string other = Path.Combine(_dir, "shard2.state");
        Assert.Equal(0, Run("simulate", "gbm", "--paths", "16", "--steps", "8", "--shard", "0/2", "--state", state, "--no-progress").Code);
        Assert.Equal(0, Run("simulate", "gbm", "--paths", "16", "--steps", "8", "--shard", "1/2", "--state", other, "--no-progress").Code);
        string data = RepositoryPath("examples", "mcmc", "eight_schools.json");
        byte[] Read(params string[] parts) => File.ReadAllBytes(RepositoryPath(parts));
        return
        [
            new("model.drift", Read("examples", "models", "lorenz.drift"), ["simulate", "{0}", "--paths", "8", "--steps", "20", "--t1", "0.1", "--no-progress"]),
            new("network.rn", Read("examples", "jumps", "birth-death.rn"), ["ssa", "{0}", "--t1", "1", "--runs", "4", "--max-events", "10000", "--no-progress"]),
            new("network.xml", Read("examples", "jumps", "dimerisation.xml"), ["ssa", "--sbml", "{0}", "--t1", "0.1", "--runs", "4", "--max-events", "10000", "--no-progress"]),
            new("density.drift", Read("examples", "mcmc", "eight_schools.drift"), ["mcmc", "{0}", "--data", data, "--chains", "1", "--warmup", "20", "--draws", "20", "--quiet"]),
            new("data.json", File.ReadAllBytes(data), ["mcmc", RepositoryPath("examples", "mcmc", "eight_schools.drift"), "--data", "{0}", "--chains", "1", "--warmup", "20", "--draws", "20", "--quiet"]),
            new("cloud.csv", File.ReadAllBytes(cloud), ["ot", "{0}", cloud]),
            new("cloud.npy", File.ReadAllBytes(npy), ["ot", "{0}", cloud]),
            new("mixture.json", "{\"weights\": [0.3, 0.7], \"means\": [[0, 0], [2, 1]], \"covariances\": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 0.5]]]}"u8.ToArray(),
                ["diffuse", "sample", "--target", "gmm:{0}", "--n", "8", "--steps", "4"]),
            new("shard.state", File.ReadAllBytes(state), ["merge", "{0}", other]),
        ];
    }
}
