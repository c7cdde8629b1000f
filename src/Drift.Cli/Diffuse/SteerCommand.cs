using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Generative.Grids;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Steering;
using Drift.Random;

namespace Drift.Cli.Diffuse;

/// <summary>
/// <c>drift diffuse sample … --steer fk</c>: FK steering of the exact mixture model toward p·exp(λ r) with a
/// Gaussian reward, reported against the exact tilted mixture (mode masses, means, sliced W2) with the ESS
/// trace and log Ẑ against the closed-form log Z.
/// </summary>
internal static class SteerCommand
{
    internal sealed record Settings(int Particles, string Reward, double Lambda, string Potential, string Resample, double EssThreshold);

    public static int Run(Settings s, GaussianMixture mixture, string targetName, NoiseSchedule schedule, string scheduleName, SamplingGrid grid,
        string gridName, ulong seed, string? output, bool json, TextWriter stdout)
    {
        var reward = ParseReward(s.Reward, mixture.Dimension);
        var potential = s.Potential switch
        {
            "difference" => SteeringPotential.Difference,
            "max" => SteeringPotential.Max,
            "sum" => SteeringPotential.Sum,
            _ => throw new UsageException($"unknown --potential '{s.Potential}'; choose difference, max or sum."),
        };
        ResamplingScheme scheme;
        try { scheme = Resampler.Parse(s.Resample); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        int n = s.Particles, d = mixture.Dimension;
        var x = new double[(long)n * d];
        mixture.Sample(grid.Alpha(0), grid.Sigma(0), seed, 0, x, n);
        var clock = Stopwatch.StartNew();
        var result = FkSteering.Run(mixture.AsModel(schedule), grid, reward, x, new FkSteeringOptions
        {
            Lambda = s.Lambda, Potential = potential, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed,
            CancellationToken = Runs.RunContext.Token,
        });
        double seconds = clock.Elapsed.TotalSeconds;
        // Equally weighted output: the final particles resampled once (same scheme, a stream past the run's steps).
        var ancestors = new int[n];
        Resampler.Resample(scheme, result.Weights.ToArray(), ancestors, new PhiloxUniforms(SeedMixer.Derive(seed, 0x5354_4545_5246)), 0);
        var samples = new double[(long)n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) samples[i * d + j] = result.Samples[ancestors[i] * d + j];
        var target = GaussianTilt.Apply(mixture, reward, s.Lambda);
        double exactLogZ = GaussianTilt.LogNormalizer(mixture, reward, s.Lambda);
        var metrics = DiffusionMetrics.Measure(target, 1, 0, samples, n, seed);
        if (output is not null) DiffuseCommand.WriteCsv(output, samples, n, d);

        var c = CultureInfo.InvariantCulture;
        int resamplings = result.Trace.Count(t => t.Resampled);
        double minEss = result.Trace.Min(t => t.EffectiveSampleSize);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                j.WriteStartObject();
                j.WriteString("target", targetName);
                j.WriteString("schedule", scheduleName);
                j.WriteString("steer", "fk");
                j.WriteString("sampler", "euler-maruyama");
                j.WriteString("grid", gridName);
                j.WriteNumber("steps", grid.Steps);
                j.WriteNumber("nfe", result.Evaluations);
                j.WriteNumber("particles", n);
                j.WriteNumber("lambda", s.Lambda);
                j.WriteString("potential", s.Potential);
                j.WriteString("resample", s.Resample);
                j.WriteNumber("essThreshold", s.EssThreshold);
                j.WriteNumber("seed", seed);
                j.WriteNumber("seconds", seconds);
                j.WriteNumber("logZ", result.LogNormalizer);
                j.WriteNumber("exactLogZ", exactLogZ);
                j.WriteNumber("finalEss", result.EffectiveSampleSize);
                j.WriteNumber("resamplings", resamplings);
                DiffuseCommand.Array(j, "essTrace", result.Trace.Select(t => t.EffectiveSampleSize).ToArray());
                DiffuseCommand.Array(j, "logZTrace", result.Trace.Select(t => t.LogNormalizer).ToArray());
                DiffuseCommand.Array(j, "traceTimes", result.Trace.Select(t => t.Time).ToArray());
                j.WriteStartArray("resampledAt");
                for (int k = 0; k < result.Trace.Count; k++)
                    if (result.Trace[k].Resampled) j.WriteNumberValue(k);
                j.WriteEndArray();
                j.WriteNumber("slicedW2", metrics.SlicedW2);
                j.WriteNumber("noiseFloor", metrics.NoiseFloor);
                j.WriteNumber("maxModeMassError", metrics.MaxMassError);
                DiffuseCommand.Array(j, "modeMasses", metrics.Masses);
                DiffuseCommand.Array(j, "exactModeMasses", metrics.Weights);
                DiffuseCommand.Array(j, "means", metrics.Means);
                DiffuseCommand.Array(j, "exactMeans", metrics.ExactMeans);
                j.WriteEndObject();
            }
            stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return CliApp.Ok;
        }
        stdout.WriteLine(string.Create(c, $"target          {targetName} ({d}-D) tilted by exp(λ r), r = gauss a=({string.Join(", ", reward.Center)}) s={reward.Width}, λ={s.Lambda}"));
        stdout.WriteLine(string.Create(c, $"steering        fk, {s.Potential} potential, {n} particles, {s.Resample} resampling below ESS {s.EssThreshold}·N"));
        stdout.WriteLine(string.Create(c, $"sampler         euler-maruyama on {scheduleName}, {grid.Steps} {gridName} steps, NFE {result.Evaluations}, {seconds:F3} s"));
        stdout.WriteLine(string.Create(c, $"log Z           {result.LogNormalizer:F5}  (exact {exactLogZ:F5})"));
        stdout.WriteLine(string.Create(c, $"ESS             final {result.EffectiveSampleSize:F1}, min {minEss:F1}, {resamplings} resamplings in {result.Trace.Count} reweightings"));
        stdout.WriteLine("ESS trace       " + string.Join(' ', result.Trace.Select(t => t.EffectiveSampleSize.ToString("F0", c))));
        stdout.WriteLine(string.Create(c, $"sliced W2       {metrics.SlicedW2:F5}  (noise floor {metrics.NoiseFloor:F5}) vs the exact tilted mixture"));
        stdout.WriteLine(string.Create(c, $"mode masses     max |error| {metrics.MaxMassError:F4}"));
        for (int k = 0; k < metrics.Weights.Count && k < 16; k++)
            stdout.WriteLine(string.Create(c, $"  component {k,-3} {metrics.Masses[k]:F4}  (exact tilted {metrics.Weights[k]:F4})"));
        stdout.WriteLine("means");
        for (int j = 0; j < metrics.Means.Count && j < 8; j++)
            stdout.WriteLine(string.Create(c, $"  x{j,-4}        {metrics.Means[j],9:F4}  (exact {metrics.ExactMeans[j]:F4})"));
        return CliApp.Ok;
    }

    /// <summary>Parses <c>gauss:a0,a1,…:s</c>.</summary>
    private static GaussianReward ParseReward(string text, int dimension)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0] != "gauss")
            throw new UsageException($"--reward must be gauss:a0,a1,…:s (a the target point, s the width), got '{text}'.");
        var center = parts[1].Split(',').Select(v => ArgumentReader.ParseReal(v, "--reward center")).ToArray();
        if (center.Length != dimension)
            throw new UsageException($"--reward center has {center.Length} coordinates, the target is {dimension}-D.");
        double width = ArgumentReader.ParseReal(parts[2], "--reward width");
        if (!(width > 0) || !double.IsFinite(width)) throw new UsageException($"--reward width must be positive, got {width}.");
        return new GaussianReward(center, width);
    }
}
