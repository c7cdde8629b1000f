using System.Globalization;
using System.Text.Json;
using Drift.Cli.Output;
using Drift.Random;
using Drift.Random.Resampling;
using Drift.Sampling;
using Drift.Sampling.Diagnostics;
using Drift.Sampling.Language;
using Drift.Sampling.Smc;
using static Drift.Cli.Mcmc.McmcCommand;

namespace Drift.Cli.Mcmc;

/// <summary>
/// <c>drift mcmc MODEL.drift --sampler smc</c>: R independent tempered SMC runs (R = --chains, N = --draws particles
/// each) on a density model split into prior and likelihood; reports log Ẑ as the mean over runs ± its standard error
/// sd/√R, and the posterior summary from the pooled weighted particles (each run weighted 1/R; mcse_mean from the
/// spread of the runs' means).
/// </summary>
internal static class SmcRuns
{
    private const ulong RunPurpose = 0x534D_4352_554E_5300; // "SMCRUNS"
    private const ulong ResamplePurpose = 0x534D_434F_5554_5054; // "SMCOUTPT"

    /// <summary>The runs and what they estimate.</summary>
    public sealed record Result(string[] Names, TemperedSmcResult[] Runs, double[][] Constrained, double LogEvidence, double LogEvidenceError, double Seconds);

    public static Result Run(TemperedDensity model, int runs, TemperedSmcOptions options, TextWriter? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new TemperedSmcResult[runs];
        var constrained = new double[runs][];
        for (int k = 0; k < runs; k++)
        {
            results[k] = TemperedSmc.Sample(model.Prior, model.Likelihood, options with { Seed = SeedMixer.Derive(options.Seed, RunPurpose + (ulong)k) });
            int d = results[k].Dimension, n = results[k].Count;
            constrained[k] = new double[n * d];
            for (int p = 0; p < n; p++) model.Posterior.Constrain(results[k].Particle(p), constrained[k].AsSpan(p * d, d));
            progress?.WriteLine($"run {k + 1}/{runs}: {results[k].Stages.Count} temperatures, log evidence {F(results[k].LogEvidence, "F4")}");
        }
        var (mean, se) = MeanAndError([.. results.Select(r => r.LogEvidence)]);
        return new Result([.. model.Posterior.Names], results, constrained, mean, se, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Each parameter's summary from the runs' weighted particles (<see cref="WeightedRunSummary"/>: ESS of the weighted particles, R̂ across runs).</summary>
    public static WeightedRunSummary[] Summary(Result r)
    {
        int d = r.Names.Length;
        var weights = r.Runs.Select(x => x.Weights.ToArray()).ToArray();
        return [.. Enumerable.Range(0, d).Select(i => WeightedRunSummary.Of(r.Names[i],
            [.. r.Runs.Select((run, k) => Enumerable.Range(0, run.Count).Select(p => r.Constrained[k][p * d + i]).ToArray())], weights))];
    }

    /// <summary>Warnings in words: too few runs for a standard error, a noisy evidence, a degenerate final weight set.</summary>
    public static List<string> Warnings(Result r)
    {
        var warnings = new List<string>();
        if (r.Runs.Length < 2) warnings.Add("one SMC run gives no standard error of log evidence; use --chains 2 or more.");
        else if (r.LogEvidenceError > 0.5) warnings.Add($"the standard error of log evidence is {F(r.LogEvidenceError, "F2")}; raise --draws (particles) or --moves.");
        if (r.Runs.Length >= 2)
            foreach (var s in Summary(r).Where(s => s.Rhat > 1.01))
                warnings.Add($"{s.Name}: R-hat across runs {F(s.Rhat, "F3")} > 1.01: the runs disagree more than their particles' ESS explains; raise --draws or --moves.");
        foreach (var (run, k) in r.Runs.Select((x, k) => (x, k)))
            if (run.Ess < 0.1 * run.Count) warnings.Add($"run {k + 1}: the final weights' ESS is {F(run.Ess, "F0")} of {run.Count} particles.");
        return warnings;
    }

    public static void WriteTable(TextWriter w, string name, Result r, TemperedSmcOptions o)
    {
        w.WriteLine($"{name}: SMC ({o.Kernel}, {o.MoveSteps} moves per temperature), {r.Runs.Length} runs x {o.Particles} particles, seed {o.Seed}, {F(r.Seconds, "F2")} s");
        w.WriteLine($"log evidence {F(r.LogEvidence, "F4")} ± {F(r.LogEvidenceError, "F4")} (mean ± standard error over runs: {string.Join(" ", r.Runs.Select(x => F(x.LogEvidence, "F4")))}); temperatures {string.Join(" ", r.Runs.Select(x => x.Stages.Count))}");
        WriteRunsSummary(w, Summary(r), r.Runs.Length);
    }

    public static void WriteJson(TextWriter stdout, string name, Result r, TemperedSmcOptions o, IReadOnlyList<string> warnings)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", name);
            w.WriteString("sampler", "smc");
            w.WriteString("kernel", o.Kernel.ToString().ToLowerInvariant());
            w.WriteNumber("runs", r.Runs.Length);
            w.WriteNumber("particles", o.Particles);
            w.WriteNumber("moves", o.MoveSteps);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("seconds", r.Seconds);
            Number(w, "log_evidence", r.LogEvidence);
            Number(w, "log_evidence_se", r.LogEvidenceError);
            w.WriteStartArray("runs_log_evidence");
            foreach (var x in r.Runs) w.WriteNumberValue(x.LogEvidence);
            w.WriteEndArray();
            w.WriteStartArray("temperatures");
            foreach (var x in r.Runs) w.WriteNumberValue(x.Stages.Count);
            w.WriteEndArray();
            WriteRunsJson(w, Summary(r), r.Runs.Length);
            w.WriteStartArray("warnings");
            foreach (var x in warnings) w.WriteStringValue(x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// The runs' particles resampled to equal weights, as an <see cref="McmcResult"/> (chain = run, draw = particle) for
    /// the shared --output and --plot writers: systematic resampling (<see cref="Resampler"/>) of each run's final
    /// weights with the uniforms of a key derived from the seed (stream = run), particles on the constrained scale.
    /// Resampling adds Monte Carlo noise (the summary table uses the weights, not these draws); duplicated particles sit
    /// next to each other, which a reader of ESS from these draws should know.
    /// </summary>
    public static McmcResult Resampled(Result r, ulong seed)
    {
        int runs = r.Runs.Length, d = r.Names.Length, n = r.Runs[0].Count;
        var draws = new double[runs * n * d];
        var ancestors = new int[n];
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(seed, ResamplePurpose));
        for (int k = 0; k < runs; k++)
        {
            Resampler.Resample(ResamplingScheme.Systematic, r.Runs[k].Weights, ancestors, uniforms, (ulong)k);
            for (int p = 0; p < n; p++) r.Constrained[k].AsSpan(ancestors[p] * d, d).CopyTo(draws.AsSpan((k * n + p) * d, d));
        }
        return McmcResult.FromDraws(r.Names, runs, n, draws);
    }

    private static (double Mean, double Se) MeanAndError(double[] v)
    {
        double mean = v.Average();
        if (v.Length < 2) return (mean, double.NaN);
        double var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, Math.Sqrt(var / v.Length));
    }
}
