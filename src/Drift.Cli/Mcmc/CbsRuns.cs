using System.Text.Json;
using Drift.Random;
using Drift.Sampling;
using Drift.Sampling.Consensus;
using Drift.Sampling.Diagnostics;
using static Drift.Cli.Mcmc.McmcCommand;

namespace Drift.Cli.Mcmc;

/// <summary>
/// <c>drift mcmc TARGET --sampler cbs</c>: R = --chains independent runs of consensus-based sampling (<see cref="Cbs"/>;
/// Carrillo, Hoffmann, Stuart &amp; Vaes 2022) on f = −log π, each ending in N equally weighted particles — the draws.
/// Summarised as independent weighted-particle runs (<see cref="WeightedRunSummary"/>): the particles of one run share
/// the consensus m_β and covariance C_β, so mcse_mean comes from the spread of the runs, not from N.
/// </summary>
internal static class CbsRuns
{
    private const ulong RunPurpose = 0x4342_5352_554E_5300; // "CBSRUNS"

    /// <summary>The runs' final particles on the reported (constrained) scale, as an <see cref="McmcResult"/> (chain = run, draw = particle).</summary>
    public sealed record Result(McmcResult Draws, int Steps, double Seconds);

    public static Result Sample<T>(T objective, CbsOptions options, int runs, string[] names, Func<double[], double[]>? constrain = null)
        where T : struct, IObjective
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int d = objective.Dimension;
        var draws = new double[runs * options.Particles * d];
        for (int k = 0; k < runs; k++)
        {
            var r = Cbs.Sample(objective, options with { Seed = SeedMixer.Derive(options.Seed, RunPurpose + (ulong)k) });
            var particles = r.Particles;
            for (int p = 0; p < r.Count; p++)
            {
                double[] x = particles.Slice(p * d, d).ToArray();
                (constrain is null ? x : constrain(x)).CopyTo(draws.AsSpan((k * r.Count + p) * d, d));
            }
        }
        return new Result(McmcResult.FromDraws(names, runs, options.Particles, draws), options.Steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Each parameter's summary, every particle weighted 1/N within its run.</summary>
    public static WeightedRunSummary[] Summary(Result r)
    {
        var draws = r.Draws;
        var weights = Enumerable.Range(0, draws.Chains).Select(_ => Enumerable.Repeat(1.0 / draws.DrawsPerChain, draws.DrawsPerChain).ToArray()).ToArray();
        return [.. Enumerable.Range(0, draws.Dimension).Select(i => WeightedRunSummary.Of(draws.Names[i], draws.Parameter(i), weights))];
    }

    /// <summary>λ of the CBS dynamics: 1/(1 + β) for sampling (the invariant law of a Gaussian target is the target), 1 for optimisation.</summary>
    public static double Lambda(CbsOptions o) => o.Mode == CbsMode.Sampling ? 1 / (1 + o.Alpha) : 1;

    private static string Mode(CbsOptions o) => o.Mode == CbsMode.Sampling ? "sampling" : "optimisation";

    public static void WriteTable(TextWriter w, string name, Result r, CbsOptions o)
    {
        w.WriteLine($"{name}: CBS ({Mode(o)}), {r.Draws.Chains} runs x {o.Particles} particles, beta {F(o.Alpha)}, lambda {F(Lambda(o))}, dt {F(o.StepSize)}, {r.Steps} steps, seed {o.Seed}, {F(r.Seconds, "F2")} s");
        WriteRunsSummary(w, Summary(r), r.Draws.Chains);
    }

    public static void WriteJson(TextWriter stdout, string name, Result r, CbsOptions o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", name);
            w.WriteString("sampler", "cbs");
            w.WriteString("mode", Mode(o));
            w.WriteNumber("runs", r.Draws.Chains);
            w.WriteNumber("particles", o.Particles);
            Number(w, "beta", o.Alpha); Number(w, "lambda", Lambda(o)); Number(w, "dt", o.StepSize);
            w.WriteNumber("steps", r.Steps);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("seconds", r.Seconds);
            WriteRunsJson(w, Summary(r), r.Draws.Chains);
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
