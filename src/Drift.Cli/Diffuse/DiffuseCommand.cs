using Drift.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Generative.Grids;
using Drift.Generative.Guidance;
using Drift.Generative.Metrics;
using Drift.Generative.Models;
using Drift.Generative.Training;
using Drift.Random;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;

namespace Drift.Cli.Diffuse;

/// <summary>
/// <c>drift diffuse sample</c>: runs a diffusion sampler on the exact model of a Gaussian mixture from exact
/// samples of p_T, writes the samples, and reports them against exact samples of the target.
/// </summary>
public static class DiffuseCommand
{
    private const string Help = """
        usage: drift diffuse sample --target gmm:FILE|NAME [options]
               drift diffuse sample --model FILE.safetensors [options]
               drift diffuse train --data NAME|FILE --checkpoint FILE.safetensors [options]   (see drift diffuse train --help)

          --target T        gmm:FILE (JSON: weights, means, covariances; see docs/generative.md) or a standard
                            mixture: gauss2d, ring8, skewed2d, mix16, mix64
          --model FILE      a checkpoint of 'drift diffuse train' (its EMA weights); samples start from N(0, σ_T² I).
                            When it was trained on an exact mixture the report compares with that mixture.
          --label L         class of a conditional model; --guidance W classifier-free guidance scale (default 0)
          --schedule S      vp (default), vp-cosine, subvp, ve, edm, rf (a --model fixes its own)
          --sampler NAME    dpmpp-2m (default), ddim, ddpm, dpm-solver-1|2|3, dpmpp-2s, dpmpp-3m, sde-dpmpp-2m,
                            unipc, heun, edm-churn, euler-maruyama, pc, ode-rk4, ode-tsit5, ode-dopri5,
                            sde-tunable (diffusion ε(t) = c·g²(t)/2 with c = --noise-scale, default 1; 0 is the PF-ODE)
          --steps N         grid steps (default 20; adaptive ode-tsit5/ode-dopri5 use only the end points)
          --grid G          logsnr (default), uniform, quadratic, karras
          --n SAMPLES       number of samples (default 2000)
          --seed S          seed of p_T samples, sampler noise and metrics (default 0)
          --rtol R, --atol A  tolerances of the adaptive samplers (default 1e-5)
          --output FILE     write the samples as CSV (x0,x1,…), atomically
          --plot FILE.png   scatter of (x0, x1) and density of x0, generated against exact samples
          --json            print the report as JSON
        steering (docs/steering.md): FK steering over Euler–Maruyama toward p(x)·exp(λ r(x)); metrics are against
        the exact tilted mixture and the output holds the final particles resampled to equal weights
          --steer fk        enable FK steering (uses the euler-maruyama transition; --n is ignored)
          --particles N     particles (default 512)
          --reward R        gauss:a0,a1,…:s  the Gaussian reward r(x) = −‖x − a‖²/(2s²)
          --lambda L        temperature λ (default 1)
          --potential P     difference (default), max, sum
          --resample S      systematic (default), stratified, residual, multinomial
          --ess-threshold E resample when ESS < E·N (default 0.5)
        exit codes: 0 ok, 3 some adaptive solves failed, 2 bad input, 1 failure
        """;

    private static readonly HashSet<string> Flags = ["json", "help"];

    /// <summary>Runs the command (<paramref name="args"/> start after <c>diffuse</c>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length > 0 && args[0] == "train") return TrainCommand.Run(args[1..], stdout, stderr, Runs.RunContext.Token);
        var a = new ArgumentReader(args, Flags);
        if (a.Flag("help"))
        {
            stdout.WriteLine(Help);
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1 || a.Positional[0] != "sample") throw new UsageException("diffuse needs the subcommand 'sample' or 'train'; try 'drift diffuse --help'.");
        string? modelPath = a.String("model");
        string? targetName = a.String("target");
        if ((modelPath is null) == (targetName is null)) throw new UsageException("diffuse sample needs exactly one of --target gmm:FILE|NAME and --model FILE.safetensors.");
        string? scheduleOption = a.String("schedule");
        string scheduleName = scheduleOption ?? "vp";
        int? label = (int?)a.Integer("label", 0, int.MaxValue);
        double guidance = a.Real("guidance") ?? 0;
        double noiseScale = a.Real("noise-scale") ?? 1;
        if (!(noiseScale >= 0)) throw new UsageException($"--noise-scale must be ≥ 0, got {noiseScale}.");
        string samplerName = a.String("sampler") ?? "dpmpp-2m";
        int steps = (int)(a.Integer("steps", 1, 100_000) ?? 20);
        int n = (int)(a.Integer("n", 2, 10_000_000) ?? 2000);
        ulong seed = a.Seed() ?? 0;
        string gridName = a.String("grid") ?? "logsnr";
        double rtol = a.Positive("rtol") ?? 1e-5, atol = a.Positive("atol") ?? 1e-5;
        string? output = a.String("output");
        string? plotFile = a.String("plot");
        bool json = a.Flag("json");
        string? steer = a.String("steer");
        var steering = steer is null ? null : ReadSteering(a, steer);
        a.RejectUnknown();
        if (!(rtol > 0) || !(atol > 0)) throw new UsageException("--rtol and --atol must be positive.");
        OutputPaths.Check(output, plotFile);
        if (plotFile is not null && !plotFile.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--plot writes PNG; give a file ending in .png, got '{plotFile}'.");
        var spacing = gridName switch
        {
            "logsnr" => GridSpacing.LogSnr,
            "uniform" => GridSpacing.UniformTime,
            "quadratic" => GridSpacing.TimeQuadratic,
            "karras" => GridSpacing.Karras,
            _ => throw new UsageException($"unknown grid '{gridName}'; choose logsnr, uniform, quadratic or karras."),
        };
        if (samplerName != "sde-tunable" && !SamplerCatalog.Names.Contains(samplerName))
            throw new UsageException($"unknown sampler '{samplerName}'; choose {string.Join(", ", SamplerCatalog.Names)}.");
        if (modelPath is not null && scheduleOption is not null) throw new UsageException("--schedule does not apply to --model (the model fixes its schedule).");
        if (modelPath is null && (label is not null || guidance != 0)) throw new UsageException("--label and --guidance apply to --model only.");
        if (!(guidance >= 0)) throw new UsageException($"--guidance must be ≥ 0, got {guidance}.");
        if (guidance > 0 && label is null) throw new UsageException("--guidance needs --label (the class to guide towards).");
        GaussianMixture? mixture;
        IDiffusionModel model;
        if (modelPath is not null)
        {
            if (!File.Exists(modelPath)) throw new UsageException($"--model '{modelPath}' does not exist.");
            var metadata = Drift.Learning.Checkpoints.SafeTensorsFile.Read(modelPath).Metadata;
            var conditional = TrainedModel.Load(modelPath, label);
            model = guidance > 0 ? new ClassifierFreeGuidanceModel(conditional, TrainedModel.Load(modelPath, null), guidance) : conditional;
            mixture = label is null && metadata.TryGetValue("drift.data", out var dataName) && StandardMixtures.Names.Contains(dataName) ? StandardMixtures.Get(dataName) : null;
            targetName = modelPath;
            scheduleName = model.Schedule.Name;
        }
        else
        {
            mixture = MixtureFile.Resolve(targetName!);
            if (!ScheduleCatalog.Names.Contains(scheduleName))
                throw new UsageException($"unknown schedule '{scheduleName}'; choose {string.Join(", ", ScheduleCatalog.Names)}.");
            model = mixture.AsModel(ScheduleCatalog.Create(scheduleName));
        }
        var schedule = model.Schedule;
        if (steering is not null)
        {
            if (mixture is null || modelPath is not null)
                throw new UsageException("--steer needs a --target mixture (the exact tilted target is what the run is measured against); it does not apply to --model yet.");
            if (a.String("sampler") is { } named && named != "euler-maruyama")
                throw new UsageException($"--steer fk moves particles with euler-maruyama; drop --sampler {named}.");
            return SteerCommand.Run(steering, mixture, targetName!, schedule, scheduleName, SamplingGrid.Create(schedule, steps, spacing), gridName,
                seed, output, json, stdout);
        }
        var sampler = samplerName == "sde-tunable" ? new TunableNoiseSampler(noiseScale) : SamplerCatalog.Create(samplerName, rtol, atol);
        var grid = SamplingGrid.Create(schedule, steps, spacing);

        int d = model.Dimension;
        var x = new double[(long)n * d];
        if (modelPath is null) mixture!.Sample(grid.Alpha(0), grid.Sigma(0), seed, 0, x, n);
        else
        {
            new PhiloxNormals(seed).FillStream(0, 0, x);
            double sigmaT = grid.Sigma(0);
            for (long k = 0; k < x.Length; k++) x[k] *= sigmaT;
        }
        var clock = Stopwatch.StartNew();
        int nfe = sampler.Sample(model, grid, x, n, seed);
        double seconds = clock.Elapsed.TotalSeconds;
        var metrics = mixture is null ? null : DiffusionMetrics.Measure(mixture, grid.Alpha(steps), grid.Sigma(steps), x, n, seed);
        int failed = (sampler as AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.Tsitouras5>)?.LastRun?.FailedSamples
            ?? (sampler as AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.DormandPrince5>)?.LastRun?.FailedSamples ?? 0;

        // A failed adaptive solve leaves its row at the state where it stopped; the sampler does not say which rows, so
        // no sample file is written rather than one whose bad rows cannot be told apart.
        if (output is not null && failed > 0)
            stderr.WriteLine($"drift: no samples written to '{output}': {failed} of {n} adaptive solves failed, and their rows hold the states where they stopped.");
        else if (output is not null) WriteCsv(output, x, n, d);
        if (plotFile is not null)
        {
            var exact = new double[(long)n * d];
            if (mixture is not null) mixture.Sample(grid.Alpha(steps), grid.Sigma(steps), seed + 1, 0, exact, n);
            else exact = ReferencePoints(modelPath!, n, d, seed) ?? exact;
            OutputFile.WriteBinary(plotFile, stream => PlotReport.WriteSamples(stream, $"{targetName}, {samplerName}, {nfe} NFE", x, exact, n, d));
        }
        var run = new RunInfo(targetName!, scheduleName, samplerName, gridName, steps, nfe, n, d, seed, seconds, failed);
        if (metrics is null) WriteModelSummary(stdout, run, x, json);
        else if (json) WriteJson(stdout, run, metrics);
        else WriteText(stdout, run, metrics);
        if (failed > 0)
        {
            stderr.WriteLine($"drift: {failed} of {n} adaptive solves did not reach the end.");
            return CliApp.Diverged;
        }
        return CliApp.Ok;
    }

    private static SteerCommand.Settings ReadSteering(ArgumentReader a, string steer)
    {
        if (steer != "fk") throw new UsageException($"unknown --steer '{steer}'; this version implements fk.");
        int particles = (int)(a.Integer("particles", 2, 10_000_000) ?? 512);
        string reward = a.String("reward") ?? throw new UsageException("--steer fk needs --reward gauss:a0,a1,…:s.");
        double lambda = a.Real("lambda") ?? 1;
        string potential = a.String("potential") ?? "difference";
        string resample = a.String("resample") ?? "systematic";
        double threshold = a.Real("ess-threshold") ?? 0.5;
        if (!(threshold >= 0 && threshold <= 1)) throw new UsageException($"--ess-threshold must lie in [0, 1], got {threshold}.");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new UsageException($"--lambda must be positive, got {lambda}.");
        return new SteerCommand.Settings(particles, reward, lambda, potential, resample, threshold);
    }

    private sealed record RunInfo(string Target, string Schedule, string Sampler, string Grid, int Steps, int Nfe, int Samples, int Dimension, ulong Seed, double Seconds, int Failed);

    /// <summary>Points of the model's training set (built-in sets regenerated, files read) to plot against, or null.</summary>
    private static double[]? ReferencePoints(string modelPath, int n, int d, ulong seed)
    {
        var metadata = Drift.Learning.Checkpoints.SafeTensorsFile.Read(modelPath).Metadata;
        if (!metadata.TryGetValue("drift.data", out var name)) return null;
        try
        {
            var data = PointDatasets.Load(name, n, seed + 1);
            if (data.Dimension != d) return null;
            var x = new double[(long)n * d];
            for (long k = 0; k < x.Length; k++) x[k] = data.Points[k % data.Points.Length];
            return x;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WriteModelSummary(TextWriter w, RunInfo r, double[] x, bool json)
    {
        var mom = SampleMetrics.CoordinateMoments(x, r.Samples, r.Dimension);
        var c = CultureInfo.InvariantCulture;
        if (json)
        {
            using var stream = new MemoryStream();
            using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                j.WriteStartObject();
                WriteRunFields(j, "model", r);
                Array(j, "means", mom.Select(m => m.Mean).ToArray());
                Array(j, "standardDeviations", mom.Select(m => Math.Sqrt(m.Variance)).ToArray());
                j.WriteEndObject();
            }
            w.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }
        w.WriteLine(string.Create(c, $"model           {r.Target} ({r.Dimension}-D)"));
        w.WriteLine(string.Create(c, $"sampler         {r.Sampler} on {r.Schedule}, {r.Steps} {r.Grid} steps, NFE {r.Nfe}"));
        w.WriteLine(string.Create(c, $"samples         {r.Samples} (seed {r.Seed}) in {r.Seconds:F3} s"));
        w.WriteLine("coordinates     mean ± standard error, standard deviation");
        for (int j = 0; j < mom.Length && j < 8; j++)
            w.WriteLine(string.Create(c, $"  x{j,-4}        {Fixed(mom[j].Mean, 4),9} ± {Fixed(mom[j].StandardError, 4)}, sd {Fixed(Math.Sqrt(mom[j].Variance), 4)}"));
    }

    /// <summary>
    /// <paramref name="v"/> with <paramref name="decimals"/> decimals when |v| &lt; 10⁶, else in 7 significant digits with an
    /// exponent, so a diverged sample's 1e150 is never printed as a 150-digit fixed-point number.
    /// </summary>
    private static string Fixed(double v, int decimals) =>
        Math.Abs(v) < 1e6 ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v.ToString("G7", CultureInfo.InvariantCulture);

    internal static void WriteCsv(string path, double[] x, int n, int d) => OutputFile.Write(path, w =>
    {
        w.WriteLine(string.Join(',', Enumerable.Range(0, d).Select(j => string.Create(CultureInfo.InvariantCulture, $"x{j}"))));
        var line = new StringBuilder();
        for (int s = 0; s < n; s++)
        {
            line.Clear();
            for (int j = 0; j < d; j++)
            {
                if (j > 0) line.Append(',');
                line.Append(x[s * d + j].ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine(line.ToString());
        }
    });

    private static void WriteText(TextWriter w, RunInfo r, DiffusionMetrics m)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"target          {r.Target} ({r.Dimension}-D, {m.Weights.Count} components)"));
        w.WriteLine(string.Create(c, $"sampler         {r.Sampler} on {r.Schedule}, {r.Steps} {r.Grid} steps, NFE {r.Nfe}"));
        w.WriteLine(string.Create(c, $"samples         {r.Samples} (seed {r.Seed}) in {r.Seconds:F3} s"));
        w.WriteLine(string.Create(c, $"sliced W2       {Fixed(m.SlicedW2, 5)}  (noise floor {Fixed(m.NoiseFloor, 5)}, excess {m.ExcessSlicedW2:+0.00000;-0.00000})"));
        w.WriteLine(string.Create(c, $"mode masses     max |error| {Fixed(m.MaxMassError, 4)}"));
        for (int k = 0; k < m.Weights.Count && k < 16; k++)
            w.WriteLine(string.Create(c, $"  component {k,-3} {Fixed(m.Masses[k], 4)}  (weight {Fixed(m.Weights[k], 4)})"));
        w.WriteLine("means");
        for (int j = 0; j < m.Means.Count && j < 8; j++)
            w.WriteLine(string.Create(c, $"  x{j,-4}        {Fixed(m.Means[j], 4),9} ± {Fixed(m.StandardErrors[j], 4)}  (exact {Fixed(m.ExactMeans[j], 4)})"));
        if (m.Means.Count > 8) w.WriteLine(string.Create(c, $"  … {m.Means.Count - 8} more coordinates (use --json)"));
    }

    private static void WriteJson(TextWriter w, RunInfo r, DiffusionMetrics m)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            WriteRunFields(j, "target", r);
            j.WriteNumber("slicedW2", m.SlicedW2);
            j.WriteNumber("noiseFloor", m.NoiseFloor);
            j.WriteNumber("excessSlicedW2", m.ExcessSlicedW2);
            j.WriteNumber("maxModeMassError", m.MaxMassError);
            Array(j, "modeMasses", m.Masses);
            Array(j, "weights", m.Weights);
            Array(j, "means", m.Means);
            Array(j, "exactMeans", m.ExactMeans);
            Array(j, "meanStandardErrors", m.StandardErrors);
            j.WriteEndObject();
        }
        w.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The run's own fields, shared by the JSON of every sampling run; <paramref name="sourceKey"/> names what was sampled ("target" or "model").</summary>
    private static void WriteRunFields(Utf8JsonWriter j, string sourceKey, RunInfo r)
    {
        j.WriteString(sourceKey, r.Target);
        j.WriteString("schedule", r.Schedule);
        j.WriteString("sampler", r.Sampler);
        j.WriteString("grid", r.Grid);
        j.WriteNumber("steps", r.Steps);
        j.WriteNumber("nfe", r.Nfe);
        j.WriteNumber("samples", r.Samples);
        j.WriteNumber("dimension", r.Dimension);
        j.WriteNumber("seed", r.Seed);
        j.WriteNumber("seconds", r.Seconds);
        j.WriteNumber("failedSamples", r.Failed);
    }

    internal static void Array(Utf8JsonWriter j, string name, IReadOnlyList<double> values)
    {
        j.WriteStartArray(name);
        foreach (double v in values)
        {
            if (double.IsFinite(v)) j.WriteNumberValue(v);
            else j.WriteNullValue();
        }
        j.WriteEndArray();
    }
}
