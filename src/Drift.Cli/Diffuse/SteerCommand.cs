using Drift.Random.Resampling;
using Drift.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Generative.Guidance;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Drift.Generative.Steering;
using Drift.Numerics;
using Drift.Random;

namespace Drift.Cli.Diffuse;

/// <summary>
/// <c>drift diffuse sample … --steer fk|fkc-anneal|fkc-product|fkc-cfg|twisted</c>: sequential Monte Carlo over the
/// exact mixture model, reported against the exact (or, where marked, separated-modes) target with the ESS trace,
/// log Ẑ, and the same run without the weights ("unsteered") for comparison.
/// </summary>
/// <remarks>
/// Targets: fk p·exp(λr) (closed form); fkc-anneal p^β (closed form for one component, otherwise the separated-modes
/// approximation Σ π_k^β |2πC_k|^{(1−β)/2} β^{−d/2} N(μ_k, C_k/β)); fkc-product p·p₂ with p₂ = <c>--target2</c> (closed
/// form); fkc-cfg p(x|c)^w p(x)^{1−w} with c = the components <c>--class</c> of the target (separated modes: p(x|c));
/// twisted p(x | x[i] = v + s_y ε) from <c>--observe i=v,…</c> (closed form). FKC and twisted targets are the laws at
/// the grid's last time (σ_N &gt; 0), where the particles end.
/// </remarks>
internal static class SteerCommand
{
    internal sealed record Settings(string Method, int Particles, string? Reward, double Lambda, string Potential, string Resample, double EssThreshold,
        double Beta, string? Target2, string? Class, double Weight, string? Observe, double ObservationNoise, string Transition, double Noise, int Threads,
        FeynmanKacIntegrator Integrator = FeynmanKacIntegrator.ExponentialMultistep);

    internal static readonly string[] Methods = ["fk", "fkc-anneal", "fkc-product", "fkc-cfg", "twisted"];

    /// <summary>Reads the steering options of <c>--steer</c> (validated here, before the target or model is loaded).</summary>
    /// <param name="a">The command's arguments.</param>
    /// <param name="steer">The method name.</param>
    /// <param name="model">Whether a <c>--model</c> file is steered (fkc-cfg then takes the class from <c>--label</c>).</param>
    public static Settings Read(ArgumentReader a, string steer, bool model = false)
    {
        if (!Methods.Contains(steer)) throw new UsageException($"unknown --steer '{steer}'; choose {string.Join(", ", Methods)}.");
        int particles = (int)(a.Integer("particles", 2, 10_000_000) ?? 512);
        string? reward = a.String("reward");
        if (steer == "fk" && reward is null) throw new UsageException("--steer fk needs --reward gauss:a0,a1,…:s.");
        double lambda = a.Real("lambda") ?? 1;
        string potential = a.String("potential") ?? "difference";
        string resample = a.String("resample") ?? "systematic";
        double threshold = a.Real("ess-threshold") ?? 0.5;
        double beta = a.Real("beta") ?? 1;
        string? target2 = a.String("target2");
        string? cls = a.String("class");
        double weight = a.Real("weight") ?? 2;
        string? observe = a.String("observe");
        double obsNoise = a.Real("obs-noise") ?? 0.05;
        string transition = a.String("transition") ?? "ddpm";
        double noise = a.Real("noise-scale") ?? 1;
        int threads = (int)(a.Integer("threads", 0, 4096) ?? 1);
        var integrator = (a.String("fkc-integrator") ?? "multistep") switch
        {
            "multistep" => FeynmanKacIntegrator.ExponentialMultistep,
            "euler" => FeynmanKacIntegrator.EulerMaruyama,
            "exponential" => FeynmanKacIntegrator.Exponential,
            var other => throw new UsageException($"unknown --fkc-integrator '{other}'; choose multistep, euler or exponential."),
        };
        if (!(threshold >= 0 && threshold <= 1)) throw new UsageException($"--ess-threshold must lie in [0, 1], got {threshold}.");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new UsageException($"--lambda must be positive, got {lambda}.");
        if (!(beta > 0) || !double.IsFinite(beta)) throw new UsageException($"--beta must be positive, got {beta}.");
        if (!(weight >= 0) || !double.IsFinite(weight)) throw new UsageException($"--weight must be ≥ 0, got {weight}.");
        if (!(obsNoise > 0) || !double.IsFinite(obsNoise)) throw new UsageException($"--obs-noise must be positive, got {obsNoise}.");
        if (!(noise >= 0) || !double.IsFinite(noise)) throw new UsageException($"--noise-scale must be ≥ 0, got {noise}.");
        if (steer == "fkc-product" && target2 is null) throw new UsageException("--steer fkc-product needs --target2 gmm:FILE|NAME (the second expert).");
        if (steer == "fkc-cfg" && cls is null && !model) throw new UsageException("--steer fkc-cfg needs --class i,j,… (the target's components that form the class).");
        if (model && steer == "fkc-product") throw new UsageException("--steer fkc-product needs two exact mixtures (--target and --target2); it does not apply to --model.");
        if (model && cls is not null) throw new UsageException("--class names components of a --target mixture; a conditional --model takes its class from --label L.");
        if (steer == "twisted" && observe is null) throw new UsageException("--steer twisted needs --observe i=v,… (observed coordinates and values).");
        try { ReverseTransition.Parse(transition); }
        catch (ArgumentException e) { throw new UsageException("--transition: " + e.Message); }
        return new Settings(steer, particles, reward, lambda, potential, resample, threshold, beta, target2, cls, weight, observe, obsNoise, transition, noise, threads, integrator);
    }

    /// <summary>What a method produced: the weighted run, the unweighted baseline, the reference target at the particles' time.</summary>
    private sealed record Outcome(SteeringResult Result, double[] Baseline, GaussianMixture Reference, string ReferenceKind, double? ReferenceLogZ,
        string Description, string Transition)
    {
        /// <summary>Wall time of the steered run alone (not the unsteered baseline nor the metrics).</summary>
        public double Seconds { get; init; }
    }

    public static int Run(Settings s, GaussianMixture mixture, string targetName, NoiseSchedule schedule, string scheduleName, SamplingGrid grid,
        string gridName, ulong seed, string? output, string? plotFile, bool json, TextWriter stdout)
    {
        ResamplingScheme scheme;
        try { scheme = Resampler.Parse(s.Resample); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var outcome = s.Method switch
        {
            "fk" => Fk(s, mixture, schedule, grid, scheme, seed),
            "twisted" => Twisted(s, mixture, schedule, grid, scheme, seed),
            _ => Corrector(s, mixture, schedule, grid, scheme, seed),
        };
        double seconds = outcome.Seconds;
        var result = outcome.Result;
        int n = result.Particles, d = mixture.Dimension;
        // Equally weighted output: the final particles resampled once (same scheme, a stream past the run's steps).
        var samples = EqualWeights(result, scheme, seed);
        var metrics = DiffusionMetrics.Measure(outcome.Reference, 1, 0, samples, n, seed);
        var baseline = DiffusionMetrics.Measure(outcome.Reference, 1, 0, outcome.Baseline, n, seed);
        if (output is not null) DiffuseCommand.WriteCsv(output, samples, n, d);
        if (plotFile is not null)
        {
            var exact = new double[(long)n * d];
            outcome.Reference.Sample(1, 0, seed + 1, 0, exact, n);
            OutputFile.WriteBinary(plotFile, stream => PlotReport.WriteSamples(stream, $"{s.Method} on {targetName}", samples, exact, n, d,
                baseline: outcome.Baseline, generatedLabel: "steered", exactLabel: outcome.ReferenceKind == "exact" ? "exact" : "reference"));
        }

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
                j.WriteString("steer", s.Method);
                j.WriteString("steeredTarget", outcome.Description);
                j.WriteString("sampler", outcome.Transition);
                j.WriteString("grid", gridName);
                j.WriteNumber("steps", grid.Steps);
                j.WriteNumber("nfe", result.Evaluations);
                j.WriteNumber("particles", n);
                j.WriteNumber("lambda", s.Lambda);
                j.WriteString("potential", s.Potential);
                j.WriteNumber("beta", s.Beta);
                j.WriteNumber("weight", s.Weight);
                j.WriteString("resample", s.Resample);
                j.WriteNumber("essThreshold", s.EssThreshold);
                j.WriteNumber("threads", s.Threads);
                j.WriteNumber("seed", seed);
                j.WriteNumber("seconds", seconds);
                j.WriteNumber("logZ", result.LogNormalizer);
                if (outcome.ReferenceLogZ is { } lz) j.WriteNumber("exactLogZ", lz);
                else j.WriteNull("exactLogZ");
                j.WriteString("reference", outcome.ReferenceKind);
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
                j.WriteNumber("unsteeredSlicedW2", baseline.SlicedW2);
                j.WriteNumber("unsteeredMaxModeMassError", baseline.MaxMassError);
                DiffuseCommand.Array(j, "unsteeredModeMasses", baseline.Masses);
                j.WriteEndObject();
            }
            stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return CliApp.Ok;
        }
        stdout.WriteLine(string.Create(c, $"target          {targetName} ({d}-D) steered to {outcome.Description}"));
        stdout.WriteLine(string.Create(c, $"steering        {s.Method}, {n} particles, {s.Resample} resampling below ESS {s.EssThreshold}·N, {s.Threads} thread(s)"));
        stdout.WriteLine(string.Create(c, $"sampler         {outcome.Transition} on {scheduleName}, {grid.Steps} {gridName} steps, NFE {result.Evaluations}, {seconds:F3} s"));
        string refLogZ = outcome.ReferenceLogZ is { } z ? z.ToString("F5", c) : "none";
        stdout.WriteLine(string.Create(c, $"log Z           {result.LogNormalizer:F5}  ({outcome.ReferenceKind} {refLogZ})"));
        stdout.WriteLine(string.Create(c, $"ESS             final {result.EffectiveSampleSize:F1}, min {minEss:F1}, {resamplings} resamplings in {result.Trace.Count} reweightings"));
        stdout.WriteLine("ESS trace       " + string.Join(' ', result.Trace.Select(t => t.EffectiveSampleSize.ToString("F0", c))));
        stdout.WriteLine(string.Create(c, $"sliced W2       {metrics.SlicedW2:F5}  (noise floor {metrics.NoiseFloor:F5}; unsteered {baseline.SlicedW2:F5}) vs the {outcome.ReferenceKind} target"));
        stdout.WriteLine(string.Create(c, $"mode masses     max |error| {metrics.MaxMassError:F4}  (unsteered {baseline.MaxMassError:F4})"));
        for (int k = 0; k < metrics.Weights.Count && k < 16; k++)
            stdout.WriteLine(string.Create(c, $"  component {k,-3} {metrics.Masses[k]:F4}  ({outcome.ReferenceKind} {metrics.Weights[k]:F4}, unsteered {baseline.Masses[k]:F4})"));
        stdout.WriteLine("means");
        for (int j = 0; j < metrics.Means.Count && j < 8; j++)
            stdout.WriteLine(string.Create(c, $"  x{j,-4}        {metrics.Means[j],9:F4}  ({outcome.ReferenceKind} {metrics.ExactMeans[j]:F4})"));
        return CliApp.Ok;
    }

    /// <summary>
    /// Steering a model file (<c>--model</c>): the same particle systems over the network, reported without an exact
    /// target — ESS trace, log Ẑ, the means of the steered and the unweighted ("unsteered") particles and, for fk, the
    /// mean reward of both. fkc-cfg steers toward p(x|L)^w p(x)^{1−w} with L = <c>--label</c> of a conditional model;
    /// fk, fkc-anneal and twisted steer p(x) (or p(x|L) with <c>--label</c>).
    /// </summary>
    public static int RunModel(Settings s, ModelFile file, string modelPath, int? label, SamplingGrid grid, string gridName, ulong seed,
        string? output, bool json, TextWriter stdout)
    {
        ResamplingScheme scheme;
        try { scheme = Resampler.Parse(s.Resample); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        if (s.Method == "fkc-cfg" && label is null) throw new UsageException("--steer fkc-cfg on a --model needs --label L (the class c of p(x|c)^w p(x)^(1−w)).");
        var first = file.For(label);
        int n = s.Particles, d = first.Dimension;
        var x = new double[(long)n * d];
        var c = CultureInfo.InvariantCulture;
        SteeringResult result;
        double[] baseline;
        string description, transition;
        GaussianReward? reward = null;
        var clock = Stopwatch.StartNew();
        double seconds;
        switch (s.Method)
        {
            case "fk":
            {
                reward = ParseReward(s.Reward!, d);
                var potential = ParsePotential(s.Potential);
                ModelStart.Fill(file.Metadata, modelPath, grid, x, d, seed);
                var options = new FkSteeringOptions { Lambda = s.Lambda, Potential = potential, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed,
                    Threads = s.Threads, CancellationToken = Runs.RunContext.Token };
                clock.Restart();
                result = Library(() => FkSteering.Run(() => file.For(label), grid, reward, x, options));
                seconds = clock.Elapsed.TotalSeconds;
                baseline = Library(() => FkSteering.Run(() => file.For(label), grid, reward, x, options with { Lambda = 0 })).Samples.ToArray();
                description = string.Create(c, $"p·exp(λ r), r = gauss a=({string.Join(", ", reward.Center)}) s={reward.Width}, λ={s.Lambda}, {s.Potential} potential");
                transition = "euler-maruyama";
                break;
            }
            case "twisted":
            {
                var (known, values) = ParseObservation(s.Observe!, d);
                ModelStart.Fill(file.Metadata, modelPath, grid, x, d, seed);
                var tr = ReverseTransition.Parse(s.Transition);
                clock.Restart();
                result = Library(() => TwistedSmc.Run(() => file.For(label), grid, known, values, x, new TwistedSmcOptions
                {
                    ObservationNoise = s.ObservationNoise, Transition = tr, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed, Threads = s.Threads,
                    CancellationToken = Runs.RunContext.Token,
                }));
                seconds = clock.Elapsed.TotalSeconds;
                baseline = (double[])x.Clone();
                new InpaintingSampler(DdimSampler.Ancestral, known, values).Sample(file.For(label), grid, baseline, n, seed);
                description = string.Create(c, $"p(x | {string.Join(", ", known.Select((k, i) => $"x{k} = {values[i]}"))}, s_y = {s.ObservationNoise}); unsteered = replacement (ddpm)");
                transition = $"twisted {tr.Name}";
                break;
            }
            default:
            {
                FeynmanKacTarget target = s.Method == "fkc-anneal"
                    ? FeynmanKacTarget.Anneal(() => file.For(label), s.Beta)
                    : FeynmanKacTarget.ClassifierFree(() => file.For(label), () => file.For(null), s.Weight);
                // q_{t₀} ∝ p_{t₀}^B with p_{t₀} ≈ N(α_T m, σ_T² I): the model's start with σ_T/√B.
                ModelStart.Fill(file.Metadata, modelPath, grid, x, d, seed, 1 / Math.Sqrt(target.TotalExponent > 0 ? target.TotalExponent : 1));
                var options = new FeynmanKacCorrectorOptions
                {
                    Noise = s.Noise, Integrator = s.Integrator, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed, Threads = s.Threads, CancellationToken = Runs.RunContext.Token,
                };
                clock.Restart();
                result = Library(() => FeynmanKacCorrector.Run(target, grid, x, options));
                seconds = clock.Elapsed.TotalSeconds;
                baseline = Library(() => FeynmanKacCorrector.Run(target, grid, x, options with { Reweight = false })).Samples.ToArray();
                description = s.Method == "fkc-anneal" ? string.Create(c, $"p^β, β={s.Beta}") : string.Create(c, $"p(x|c)^w p(x)^(1−w), c = label {label}, w={s.Weight}");
                transition = string.Create(c, $"FKC corrector SDE (Euler–Maruyama, η={s.Noise})");
                break;
            }
        }
        var samples = EqualWeights(result, scheme, seed);
        if (output is not null && output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            OutputFile.WriteBinary(output, stream => NpyReport.WriteMatrix(stream, samples, n, d));
        else if (output is not null) DiffuseCommand.WriteCsv(output, samples, n, d);
        var means = ColumnMeans(samples, n, d);
        var baseMeans = ColumnMeans(baseline, n, d);
        double? meanReward = reward is null ? null : MeanReward(reward, samples, n);
        double? baseReward = reward is null ? null : MeanReward(reward, baseline, n);
        int resamplings = result.Trace.Count(t => t.Resampled);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                j.WriteStartObject();
                j.WriteString("model", modelPath);
                if (label is { } l) j.WriteNumber("label", l);
                else j.WriteNull("label");
                j.WriteString("schedule", grid.Schedule.Name);
                j.WriteString("steer", s.Method);
                j.WriteString("steeredTarget", description);
                j.WriteString("sampler", transition);
                j.WriteString("grid", gridName);
                j.WriteNumber("steps", grid.Steps);
                j.WriteNumber("nfe", result.Evaluations);
                j.WriteNumber("particles", n);
                j.WriteNumber("dimension", d);
                j.WriteString("resample", s.Resample);
                j.WriteNumber("essThreshold", s.EssThreshold);
                j.WriteNumber("seed", seed);
                j.WriteNumber("seconds", seconds);
                j.WriteNumber("logZ", result.LogNormalizer);
                j.WriteNumber("finalEss", result.EffectiveSampleSize);
                j.WriteNumber("resamplings", resamplings);
                DiffuseCommand.Array(j, "essTrace", result.Trace.Select(t => t.EffectiveSampleSize).ToArray());
                DiffuseCommand.Array(j, "logZTrace", result.Trace.Select(t => t.LogNormalizer).ToArray());
                DiffuseCommand.Array(j, "means", means);
                DiffuseCommand.Array(j, "unsteeredMeans", baseMeans);
                if (meanReward is { } mr) j.WriteNumber("meanReward", mr);
                if (baseReward is { } br) j.WriteNumber("unsteeredMeanReward", br);
                j.WriteEndObject();
            }
            stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return CliApp.Ok;
        }
        stdout.WriteLine(string.Create(c, $"model           {modelPath} ({d}-D{(label is null ? "" : $", label {label}")}) steered to {description}"));
        stdout.WriteLine(string.Create(c, $"steering        {s.Method}, {n} particles, {s.Resample} resampling below ESS {s.EssThreshold}·N"));
        stdout.WriteLine(string.Create(c, $"sampler         {transition} on {grid.Schedule.Name}, {grid.Steps} {gridName} steps, NFE {result.Evaluations}, {seconds:F3} s"));
        stdout.WriteLine(string.Create(c, $"log Z           {result.LogNormalizer:F5}  (no exact target for a trained model)"));
        stdout.WriteLine(string.Create(c, $"ESS             final {result.EffectiveSampleSize:F1}, min {result.Trace.Min(t => t.EffectiveSampleSize):F1}, {resamplings} resamplings in {result.Trace.Count} reweightings"));
        if (meanReward is { } r1) stdout.WriteLine(string.Create(c, $"mean reward     {r1:F5}  (unsteered {baseReward:F5})"));
        stdout.WriteLine("means");
        for (int j = 0; j < d && j < 8; j++)
            stdout.WriteLine(string.Create(c, $"  x{j,-4}        {means[j],9:F4}  (unsteered {baseMeans[j]:F4})"));
        return CliApp.Ok;
    }

    /// <summary>The final particles resampled once to equal weights (same scheme, a stream past the run's steps).</summary>
    private static double[] EqualWeights(SteeringResult result, ResamplingScheme scheme, ulong seed)
    {
        int n = result.Particles, d = result.Dimension;
        var ancestors = new int[n];
        Resampler.Resample(scheme, result.Weights.ToArray(), ancestors, new PhiloxUniforms(SeedMixer.Derive(seed, 0x5354_4545_5246)), 0);
        var samples = new double[(long)n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) samples[i * d + j] = result.Samples[ancestors[i] * d + j];
        return samples;
    }

    private static double[] ColumnMeans(double[] x, int n, int d)
    {
        var m = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) m[j] += x[i * d + j] / n;
        return m;
    }

    private static double MeanReward(GaussianReward reward, double[] x, int n)
    {
        var r = new double[n];
        reward.Evaluate(x, r, n);
        return r.Average();
    }

    private static SteeringPotential ParsePotential(string name) => name switch
    {
        "difference" => SteeringPotential.Difference,
        "max" => SteeringPotential.Max,
        "sum" => SteeringPotential.Sum,
        _ => throw new UsageException($"unknown --potential '{name}'; choose difference, max or sum."),
    };

    private static Outcome Fk(Settings s, GaussianMixture mixture, NoiseSchedule schedule, SamplingGrid grid, ResamplingScheme scheme, ulong seed)
    {
        var reward = ParseReward(s.Reward!, mixture.Dimension);
        var potential = ParsePotential(s.Potential);
        int n = s.Particles, d = mixture.Dimension;
        var x = new double[(long)n * d];
        mixture.Sample(grid.Alpha(0), grid.Sigma(0), seed, 0, x, n);
        var options = new FkSteeringOptions { Lambda = s.Lambda, Potential = potential, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed,
            Threads = s.Threads, CancellationToken = Runs.RunContext.Token };
        var clock = Stopwatch.StartNew();
        var result = FkSteering.Run(() => mixture.AsModel(schedule), grid, reward, x, options);
        double seconds = clock.Elapsed.TotalSeconds;
        var plain = FkSteering.Run(() => mixture.AsModel(schedule), grid, reward, x, options with { Lambda = 0 });
        return new Outcome(result, plain.Samples.ToArray(), GaussianTilt.Apply(mixture, reward, s.Lambda), "exact",
            GaussianTilt.LogNormalizer(mixture, reward, s.Lambda),
            string.Create(CultureInfo.InvariantCulture, $"p·exp(λ r), r = gauss a=({string.Join(", ", reward.Center)}) s={reward.Width}, λ={s.Lambda}, {s.Potential} potential"),
            "euler-maruyama") { Seconds = seconds };
    }

    private static Outcome Corrector(Settings s, GaussianMixture mixture, NoiseSchedule schedule, SamplingGrid grid, ResamplingScheme scheme, ulong seed)
    {
        var c = CultureInfo.InvariantCulture;
        int steps = grid.Steps;
        double aN = grid.Alpha(steps), sN = grid.Sigma(steps);
        FeynmanKacTarget target;
        GaussianMixture reference;
        string kind, description;
        double? logZ;
        switch (s.Method)
        {
            case "fkc-anneal":
                target = FeynmanKacTarget.Anneal(() => mixture.AsModel(schedule, Prediction.Score), s.Beta);
                (reference, double end) = Anneal(GaussianMixtureProduct.Noised(mixture, aN, sN), s.Beta);
                // At t₀ the modes overlap (p_{t₀} ≈ Gaussian): its normaliser is that of the moment-matched Gaussian.
                var start0 = new GaussianMixture([1.0], [mixture.Mean(grid.Alpha(0))], [mixture.Covariance(grid.Alpha(0), grid.Sigma(0))]);
                (_, double start) = Anneal(start0, s.Beta);
                kind = mixture.ComponentCount == 1 ? "exact" : "separated-modes";
                logZ = end - start;
                description = string.Create(c, $"p^β, β={s.Beta}");
                break;
            case "fkc-product":
                var second = MixtureFile.Resolve(s.Target2!);
                if (second.Dimension != mixture.Dimension)
                    throw new UsageException($"--target2 is {second.Dimension}-D, --target {mixture.Dimension}-D.");
                target = FeynmanKacTarget.Product(() => mixture.AsModel(schedule, Prediction.Score), () => second.AsModel(schedule, Prediction.Score));
                double lz;
                (reference, lz) = GaussianMixtureProduct.Multiply(GaussianMixtureProduct.Noised(mixture, aN, sN), GaussianMixtureProduct.Noised(second, aN, sN));
                var (_, lz0) = GaussianMixtureProduct.Multiply(GaussianMixtureProduct.Noised(mixture, grid.Alpha(0), grid.Sigma(0)),
                    GaussianMixtureProduct.Noised(second, grid.Alpha(0), grid.Sigma(0)));
                kind = "exact";
                logZ = lz - lz0;
                description = $"p₁·p₂ with p₂ = {s.Target2}";
                break;
            default:
                var components = ParseIndices(s.Class!, mixture.ComponentCount);
                var conditional = mixture.Select(components);
                target = FeynmanKacTarget.ClassifierFree(() => conditional.AsModel(schedule, Prediction.Score), () => mixture.AsModel(schedule, Prediction.Score), s.Weight);
                reference = GaussianMixtureProduct.Noised(conditional, aN, sN);
                kind = "separated-modes";
                logZ = (1 - s.Weight) * Math.Log(components.Sum(k => mixture.Weights[k]));
                description = string.Create(c, $"p(x|c)^w p(x)^(1−w), c = components {s.Class}, w={s.Weight}");
                break;
        }
        int n = s.Particles, d = mixture.Dimension;
        var x = new double[(long)n * d];
        new PhiloxNormals(SeedMixer.Derive(seed, 0x464B_4331_49)).FillStream(0, 0, x);
        double scale = grid.Sigma(0) / Math.Sqrt(target.TotalExponent > 0 ? target.TotalExponent : 1);
        for (long i = 0; i < x.Length; i++) x[i] *= scale;
        var options = new FeynmanKacCorrectorOptions
        {
            Noise = s.Noise, Integrator = s.Integrator, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed, Threads = s.Threads,
            CancellationToken = Runs.RunContext.Token,
        };
        var clock = Stopwatch.StartNew();
        var result = Library(() => FeynmanKacCorrector.Run(target, grid, x, options));
        double seconds = clock.Elapsed.TotalSeconds;
        var plain = Library(() => FeynmanKacCorrector.Run(target, grid, x, options with { Reweight = false }));
        return new Outcome(result, plain.Samples.ToArray(), reference, kind, logZ, description,
            string.Create(c, $"FKC corrector SDE (Euler–Maruyama, η={s.Noise})")) { Seconds = seconds };
    }

    private static Outcome Twisted(Settings s, GaussianMixture mixture, NoiseSchedule schedule, SamplingGrid grid, ResamplingScheme scheme, ulong seed)
    {
        var (known, values) = ParseObservation(s.Observe!, mixture.Dimension);
        int n = s.Particles, d = mixture.Dimension, steps = grid.Steps;
        var x = new double[(long)n * d];
        mixture.Sample(grid.Alpha(0), grid.Sigma(0), seed, 0, x, n);
        var transition = ReverseTransition.Parse(s.Transition);
        var clock = Stopwatch.StartNew();
        var result = Library(() => TwistedSmc.Run(() => mixture.AsModel(schedule), grid, known, values, x, new TwistedSmcOptions
        {
            ObservationNoise = s.ObservationNoise, Transition = transition, Resampling = scheme, EssThreshold = s.EssThreshold, Seed = seed, Threads = s.Threads,
            CancellationToken = Runs.RunContext.Token,
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        // Baseline: replacement inpainting with DDPM from the same initial points.
        var plain = (double[])x.Clone();
        new InpaintingSampler(DdimSampler.Ancestral, known, values).Sample(mixture.AsModel(schedule), grid, plain, n, seed);
        var (posterior, logEvidence) = GaussianMixtureProduct.ObserveCoordinates(
            GaussianMixtureProduct.Noised(mixture, grid.Alpha(steps), grid.Sigma(steps)), known, values, s.ObservationNoise);
        var c = CultureInfo.InvariantCulture;
        return new Outcome(result, plain, posterior, "exact", logEvidence,
            string.Create(c, $"p(x | {string.Join(", ", known.Select((k, i) => $"x{k} = {values[i]}"))}, s_y = {s.ObservationNoise}); unsteered = replacement (ddpm)"),
            $"twisted {transition.Name}") { Seconds = seconds };
    }

    /// <summary>p^β of a mixture with separated modes, normalised, and log ∫p^β (exact for one component).</summary>
    private static (GaussianMixture Annealed, double LogNormalizer) Anneal(GaussianMixture p, double beta)
    {
        int k = p.ComponentCount, d = p.Dimension;
        var logW = new double[k];
        var means = new double[k][];
        var covs = new double[k][];
        for (int c = 0; c < k; c++)
        {
            var cov = p.ComponentCovariance(c).ToArray();
            var (values, _) = SymmetricEigen.Decompose(cov, d);
            double logDet = values.Sum(v => Math.Log(v));
            // ∫(π N(μ, C))^β = π^β (2π)^{d(1−β)/2} |C|^{(1−β)/2} β^{−d/2}.
            logW[c] = beta * Math.Log(p.Weights[c]) + 0.5 * d * (1 - beta) * Math.Log(2 * Math.PI) + 0.5 * (1 - beta) * logDet - 0.5 * d * Math.Log(beta);
            means[c] = p.ComponentMean(c).ToArray();
            covs[c] = cov.Select(v => v / beta).ToArray();
        }
        double max = logW.Max(), total = logW.Sum(l => Math.Exp(l - max));
        return (new GaussianMixture(logW.Select(l => Math.Exp(l - max)).ToArray(), means, covs), max + Math.Log(total));
    }

    /// <summary>Library argument errors of a run (e.g. a grid ending at σ = 0) are usage errors here.</summary>
    private static SteeringResult Library(Func<SteeringResult> run)
    {
        try { return run(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    private static int[] ParseIndices(string text, int count)
    {
        var idx = text.Split(',').Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : -1).ToArray();
        if (idx.Any(i => i < 0 || i >= count) || idx.Distinct().Count() != idx.Length)
            throw new UsageException($"--class must list distinct component indices in [0, {count}), got '{text}'.");
        return idx;
    }

    private static (int[] Known, double[] Values) ParseObservation(string text, int dimension)
    {
        var known = new List<int>();
        var values = new List<double>();
        foreach (var part in text.Split(','))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) || i < 0 || i >= dimension)
                throw new UsageException($"--observe must be i=v,… with coordinate indices in [0, {dimension}), got '{text}'.");
            known.Add(i);
            values.Add(ArgumentReader.ParseReal(kv[1], "--observe value"));
        }
        if (known.Distinct().Count() != known.Count) throw new UsageException($"--observe repeats a coordinate: '{text}'.");
        if (known.Count == dimension) throw new UsageException("--observe fixes every coordinate; leave at least one unobserved.");
        return ([.. known], [.. values]);
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
