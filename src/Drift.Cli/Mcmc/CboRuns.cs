using System.Text.Json;
using Drift.Sampling.Consensus;
using Drift.Sampling.Targets;
using static Drift.Cli.Mcmc.McmcCommand;

namespace Drift.Cli.Mcmc;

/// <summary>
/// <c>drift mcmc TARGET --sampler cbo</c>: consensus-based optimisation (<see cref="Cbo"/>) of an objective f — the
/// built-in test functions <c>rastrigin</c> and <c>ackley</c> (global minimum 0 at x = shift·𝟙), or f = −log π of a
/// density target (its mode; for a MODEL.drift the mode on the unconstrained scale, reported on the constrained scale)
/// — printing the final consensus point m_α and f(m_α).
/// </summary>
internal static class CboRuns
{
    /// <summary>f = −log π of a density target (NaN or −∞ log-density: f = +∞, weight 0). The gradient is computed and discarded.</summary>
    internal readonly struct NegativeLogDensity<T>(T target) : IObjective where T : struct, ILogDensity
    {
        public int Dimension => target.Dimension;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
        {
            var gradient = new double[x.Length];
            target.Evaluate(x, values, gradient);
            for (int c = 0; c < values.Length; c++) values[c] = double.IsNaN(values[c]) ? double.PositiveInfinity : -values[c];
        }
    }

    /// <summary>What one run found, on the reported (constrained) scale.</summary>
    public sealed record Result(string[] Names, double[] Minimiser, double Objective, int Steps, double Seconds);

    public static Result Minimize<T>(T objective, CboOptions options, string[] names, Func<double[], double[]>? constrain = null)
        where T : struct, IObjective
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Cbo.Minimize(objective, options);
        double[] m = r.Consensus.ToArray();
        return new Result(names, constrain is null ? m : constrain(m), r.ConsensusValue, r.Steps, clock.Elapsed.TotalSeconds);
    }

    public static void WriteTable(TextWriter w, string name, string objective, Result r, CboOptions o)
    {
        w.WriteLine($"{name}: CBO ({o.Noise.ToString().ToLowerInvariant()} noise), {o.Particles} particles, alpha {F(o.Alpha)}, lambda {F(o.Lambda)}, sigma {F(o.Sigma)}, dt {F(o.StepSize)}, " +
            $"{r.Steps} of at most {o.Steps} steps, seed {o.Seed}, {F(r.Seconds, "F2")} s");
        w.WriteLine($"objective {objective} at the consensus point: {F(r.Objective, "G10")}");
        int width = Math.Max(8, r.Names.Max(s => s.Length) + 1);
        w.WriteLine($"{"param".PadRight(width)}{"minimiser",16}");
        for (int i = 0; i < r.Names.Length; i++) w.WriteLine($"{r.Names[i].PadRight(width)}{F(r.Minimiser[i], "G10"),16}");
    }

    public static void WriteJson(TextWriter stdout, string name, string objective, Result r, CboOptions o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", name);
            w.WriteString("sampler", "cbo");
            w.WriteString("objective", objective);
            w.WriteNumber("particles", o.Particles);
            Number(w, "alpha", o.Alpha); Number(w, "lambda", o.Lambda); Number(w, "sigma", o.Sigma); Number(w, "dt", o.StepSize);
            w.WriteString("noise", o.Noise.ToString().ToLowerInvariant());
            w.WriteNumber("steps", r.Steps);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("seconds", r.Seconds);
            Number(w, "value", r.Objective);
            w.WriteStartArray("parameters");
            for (int i = 0; i < r.Names.Length; i++)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Names[i]);
                Number(w, "minimiser", r.Minimiser[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
