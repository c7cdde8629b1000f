using Drift.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Generative.Grids;
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
    /// <summary>The option model of <c>drift diffuse sample</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["diffuse", "sample"],
        """
        usage: drift diffuse sample --target gmm:FILE|NAME [options]
               drift diffuse sample --model FILE.safetensors|FILE.onnx [options]
               drift diffuse train --data NAME|FILE --checkpoint FILE.safetensors [options]   (see drift diffuse train --help)
               drift diffuse likelihood --model FILE --data NAME|FILE [options]           (see drift diffuse likelihood --help)
        """,
        [
            OptionSpec.Text("target", "T", "gmm:FILE (JSON: weights, means, covariances; see docs/generative.md) or a standard\n"
                + "mixture: gauss2d, ring8, skewed2d, mix16, mix64"),
            OptionSpec.File("model", "FILE", "a checkpoint of 'drift diffuse train' (its EMA weights), PyTorch weights (.safetensors in\n"
                + "Drift's naming scheme, no drift.net metadata; docs/training.md) or an ONNX network (.onnx:\n"
                + "inputs x [B, d] or images [B, C, H, W], t[, label]; schedule and prediction from its\n"
                + "metadata; an image network's samples are plotted as a grid); samples start from\n"
                + "N(μ + α_T(m − μ), σ_T² I), m the data mean, μ the reversion mean (0 unless mr; m = 0 when\n"
                + "the file does not record it). When trained on an exact mixture the report compares with it."),
            OptionSpec.Integer("label", "class of a conditional model", value: "L"),
            OptionSpec.Real("guidance", "W", "classifier-free guidance scale", "0"),
            OptionSpec.Flag("classes", "sample every class of a conditional model in turn, --n per class (rows grouped by class)"),
            OptionSpec.Flag("evaluate", "(models trained on the digits) judge the samples with a classifier trained in Drift on the\n"
                + "training split (about 10 s): the fraction recognised as the label they were drawn for, and\n"
                + "the Fréchet distance in its features to the held-out digits next to the floor (held-out vs train)"),
            OptionSpec.Choice("schedule", "(a --model fixes its own)", "vp", "vp", "vp-cosine", "subvp", "ve", "edm", "rf") with { Value = "S" },
            OptionSpec.Choice("sampler", "sde-tunable: diffusion ε(t) = c·g²(t)/2 with c = --noise-scale (0 is the PF-ODE);\n"
                + "pfgmpp: PFGM++ with augmented dimension --pfgm-d (needs --schedule edm or ve\n"
                + "and a --target: starts from the D-kernel at σ_T and uses the mixture's exact D-denoiser);\n"
                + "a mean-reverting (mr) --model: mrs (default, MR sampler ODE) or mrs-sde, about its reversion mean;\n"
                + "pc-lml: PC with the Levenberg–Marquardt–Langevin corrector, damping λ = 1;\n"
                + "dmcmc: denoising MCMC (Kim & Ye 2022): Langevin–Gibbs chains in (x, σ) whose states an EDM Heun\n"
                + "run denoises; needs a --target, whose exact log density at each level is the noise-level\n"
                + "classifier, and the edm schedule (the default for dmcmc); --steps and --grid do not apply;\n"
                + "samplers", "dpmpp-2m", "dpmpp-2m", "ddim", "ddpm", "dpm-solver-1", "dpm-solver-2", "dpm-solver-3", "dpmpp-2s", "dpmpp-3m",
                "sde-dpmpp-2m", "unipc", "heun", "edm-churn", "euler-maruyama", "pc", "ode-rk4", "ode-tsit5", "ode-dopri5", "sde-tunable", "pfgmpp",
                "mrs", "mrs-sde", "pc-lml", "dmcmc") with { Value = "NAME" },
            OptionSpec.Text("pfgm-d", "D", "augmented dimension of pfgmpp: D ≥ 1 or 'inf'"),
            OptionSpec.Integer("steps", "grid steps (adaptive ode-tsit5/ode-dopri5 use only the end points)", "20"),
            OptionSpec.Choice("grid", "", "logsnr", "logsnr", "uniform", "quadratic", "karras") with { Value = "G" },
            OptionSpec.Integer("n", "number of samples", "2000", "SAMPLES"),
            OptionSpec.Integer("seed", "seed of p_T samples, sampler noise and metrics", "0", "S"),
            OptionSpec.Real("rtol", "R", "relative tolerance of the adaptive samplers", "1e-5"),
            OptionSpec.Real("atol", "A", "absolute tolerance of the adaptive samplers", "1e-5"),
            OptionSpec.Integer("chains", "parallel chains   (dmcmc)", "max(1, n/10)", "C") with
            {
                Section = """
                    denoising MCMC (--sampler dmcmc; docs/generative.md): --n outputs from --chains C chains,
                    ⌈n/C⌉ rounds each; the report's NFE is per output with the setup amortised
                    """,
            },
            OptionSpec.Integer("levels", "geometric noise levels σ_lo..σ_hi the chains move on   (dmcmc)", "64", "K"),
            OptionSpec.Real("sigma-low", "S", "lowest noise level of the chains   (dmcmc)", "0.01"),
            OptionSpec.Real("sigma-high", "S", "highest noise level of the chains   (dmcmc)", "5"),
            OptionSpec.Real("langevin-step", "E", "Langevin step η of x ← x + ½η s(x, σ) + √η z   (dmcmc)", "0.05"),
            OptionSpec.Integer("skip", "Langevin–Gibbs iterations per output round   (dmcmc)", "3", "M"),
            OptionSpec.Integer("burn-in", "iterations before the first output   (dmcmc)", "10", "B"),
            OptionSpec.Integer("init-steps", "EDM Heun steps from σ_max that start the chains   (dmcmc)", "8"),
            OptionSpec.Integer("denoise-steps", "EDM Heun steps that denoise each output from its chain's σ (2N − 1 NFE)   (dmcmc)", "2"),
            OptionSpec.File("output", "FILE", "write the samples as CSV (x0,x1,…) or, for FILE.npy, a float64 .npy array (n, d), atomically"),
            OptionSpec.File("plot", "FILE.png", "scatter of (x0, x1) and density of x0, generated against exact samples; for an image model\n"
                + "(trained on images, e.g. the digits) a grid of samples, one row per class with --classes;\n"
                + "steered: steered vs unsteered vs exact samples"),
            OptionSpec.Json("print the report as JSON"),
            OptionSpec.Choice("steer", "fk: FK steering toward p·exp(λ r) over Euler–Maruyama (needs --reward);\n"
                + "fkc-anneal: Feynman–Kac corrector for p^β (--beta);\n"
                + "fkc-product: Feynman–Kac corrector for p·p₂, p₂ = --target2 gmm:FILE|NAME;\n"
                + "fkc-cfg: Feynman–Kac corrector for p(x|c)^w p(x)^(1−w), c = --class, w = --weight;\n"
                + "twisted: twisted SMC inpainting given --observe (unsteered = replacement)",
                null, "fk", "fkc-anneal", "fkc-product", "fkc-cfg", "twisted") with
            {
                Value = "M",
                Section = """
                    steering (docs/steering.md): sequential Monte Carlo over the exact mixture model; metrics are against the
                    steered target at the grid's end (exact, or "separated-modes" where no closed form exists), next to the same
                    run without weights ("unsteered"); the output holds the final particles resampled to equal weights.
                    With --model FILE the same particle systems run over the network (fk, fkc-anneal, fkc-cfg, twisted; fkc-cfg takes
                    the class from --label L): the report gives the ESS trace, log Ẑ, the means of the steered and unsteered particles
                    and, for fk, their mean reward (there is no exact target to measure against; --plot needs a --target)
                    """,
            },
            OptionSpec.Integer("particles", "particles (--n is ignored)", "512"),
            OptionSpec.Text("reward", "R", "gauss:a0,a1,…:s  the Gaussian reward r(x) = −‖x − a‖²/(2s²)   (fk)"),
            OptionSpec.Real("lambda", "L", "temperature λ   (fk)", "1"),
            OptionSpec.Choice("potential", "(fk)", "difference", "difference", "max", "sum") with { Value = "P" },
            OptionSpec.Real("beta", "B", "annealing exponent β > 0   (fkc-anneal)", "1"),
            OptionSpec.Text("target2", "T", "the second expert, same dimension   (fkc-product)"),
            OptionSpec.Text("class", "i,j,…", "components of --target forming the class c   (fkc-cfg; with --model: --label L)"),
            OptionSpec.Real("weight", "W", "guidance weight w ≥ 0 (w = 1 is p(x|c); CFG scale --guidance = w − 1)   (fkc-cfg)", "2"),
            OptionSpec.Real("noise-scale", "E", "corrector noise η ≥ 0: diffusion √η·g (0 is the PF-ODE)   (fkc-*, sde-tunable)", "1"),
            OptionSpec.Choice("fkc-integrator", "move of the corrector SDE: multistep (exponential, denoiser linear in log-SNR\n"
                + "through the previous step; second order in law and log Z), euler (Euler–Maruyama in t) or exponential\n"
                + "(denoiser frozen per step; first order)   (fkc-*)", "multistep", "multistep", "euler", "exponential") with { Value = "M" },
            OptionSpec.Text("observe", "i=v,…", "observed coordinates and values   (twisted)"),
            OptionSpec.Real("obs-noise", "S", "observation noise s_y > 0   (twisted)", "0.05"),
            OptionSpec.Text("transition", "T", "ddpm (default), euler-maruyama, ddim-etaX (0 < X ≤ 1)   (twisted)"),
            OptionSpec.Choice("resample", "", "systematic", "systematic", "stratified", "residual", "multinomial") with { Value = "S" },
            OptionSpec.Real("ess-threshold", "E", "resample when ESS < E·N", "0.5"),
            .. Merge.ShardArguments.Options("samples [floor(iN/K), floor((i+1)N/K)) of the N = --n run of a --target mixture, each with\n"
                + "the start and sampler noise it gets unsharded (not --model, --steer, dmcmc: see docs/scale-out.md)",
                "write the shard's samples for 'drift merge', which computes the metrics of all of them"),
            OptionSpec.Integer("threads", "worker threads over the particles (0 = one per core; bit-identical)   (fk, fkc-*, twisted)", "1", "T"),
        ])
    {
        Summary = "diffusion sampling of a Gaussian mixture (checked against exact samples) or a trained model",
        Notes = """
            exit codes: 0 ok, 3 some adaptive solves failed, 2 bad input, 1 failure
            """,
    };

    /// <summary>Runs the command (<paramref name="args"/> start after <c>diffuse</c>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    /// <summary>Runs the command; with <paramref name="merged"/> (from <c>drift merge</c>) those samples are reported instead of new ones.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, DiffuseState.Samples? merged)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length > 0 && args[0] == "train") return TrainCommand.Run(args[1..], stdout, stderr, Runs.RunContext.Token);
        if (args.Length > 0 && args[0] == "likelihood") return LikelihoodCommand.Run(args[1..], stdout, stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1 || a.Positional[0] != "sample") throw new UsageException("diffuse needs the subcommand 'sample', 'train' or 'likelihood'; try 'drift diffuse --help'.");
        string? modelPath = a.String("model");
        string? targetName = a.String("target");
        if ((modelPath is null) == (targetName is null)) throw new UsageException("diffuse sample needs exactly one of --target gmm:FILE|NAME and --model FILE.safetensors.");
        string? scheduleOption = a.String("schedule");
        string scheduleName = scheduleOption ?? "vp";
        int? label = (int?)a.Integer("label", 0, int.MaxValue);
        bool perClass = a.Flag("classes");
        bool evaluate = a.Flag("evaluate");
        double guidance = a.Real("guidance") ?? 0;
        double noiseScale = a.Real("noise-scale") ?? 1;
        if (!(noiseScale >= 0)) throw new UsageException($"--noise-scale must be ≥ 0, got {noiseScale}.");
        string samplerName = a.String("sampler") ?? "dpmpp-2m";
        string? pfgmD = a.String("pfgm-d");
        int steps = (int)(a.Integer("steps", 1, 100_000) ?? 20);
        int n = (int)(a.Integer("n", 2, 10_000_000) ?? 2000);
        ulong seed = a.Seed() ?? 0;
        string gridName = a.String("grid") ?? "logsnr";
        double rtol = a.Positive("rtol") ?? 1e-5, atol = a.Positive("atol") ?? 1e-5;
        string? output = a.String("output");
        string? plotFile = a.String("plot");
        bool json = a.Flag("json");
        string? steer = a.String("steer");
        var steering = steer is null ? null : SteerCommand.Read(a, steer, modelPath is not null);
        (int Chains, DenoisingMcmcOptions Options)? dmcmc = samplerName == "dmcmc" ? ReadDenoisingMcmc(a, n, seed) : null;
        var shard = Merge.ShardArguments.Read(a, n);
        a.RejectUnknown();
        if (shard.Shard is not null && steering is not null)
            throw new UsageException("--shard/--state do not apply to --steer: steering resamples across all particles at every step, so no subset of them evolves as in the whole run.");
        if (shard.Shard is not null && dmcmc is not null)
            throw new UsageException("--shard/--state do not apply to --sampler dmcmc: its outputs are rounds of all chains (shard over --n with another sampler).");
        if (shard.Shard is not null && modelPath is not null)
            throw new UsageException("--shard/--state take a --target mixture: a --model's start noise is not keyed by sample index yet.");
        if (!(rtol > 0) || !(atol > 0)) throw new UsageException("--rtol and --atol must be positive.");
        OutputPaths.Check(output, plotFile, shard.StateFile);
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
        if (dmcmc is not null)
        {
            if (modelPath is not null || steering is not null)
                throw new UsageException("--sampler dmcmc needs a --target mixture (its exact log density is the noise-level classifier) and no --steer.");
            if (a.String("steps") is not null || a.String("grid") is not null)
                throw new UsageException("--steps and --grid do not apply to --sampler dmcmc (its grids are --init-steps and --denoise-steps, Karras).");
            if (scheduleOption is not null && scheduleOption != "edm") throw new UsageException($"--sampler dmcmc needs --schedule edm (α = 1, σ = t), got {scheduleOption}.");
            return RunDenoisingMcmc(dmcmc.Value, MixtureFile.Resolve(targetName!), targetName!, n, seed, output, plotFile, json, stdout);
        }
        if (samplerName is not ("sde-tunable" or "pfgmpp") && !SamplerCatalog.Names.Contains(samplerName) && !(modelPath is not null && ModelStart.MeanRevertingNames.Contains(samplerName)))
            throw new UsageException($"unknown sampler '{samplerName}'; choose {string.Join(", ", SamplerCatalog.Names)}, sde-tunable, pfgmpp, dmcmc.");
        double augmentedDimension = ReadAugmentedDimension(samplerName, pfgmD, modelPath);
        if (modelPath is not null && scheduleOption is not null) throw new UsageException("--schedule does not apply to --model (the model fixes its schedule).");
        if (modelPath is null && (label is not null || guidance != 0 || perClass)) throw new UsageException("--label, --classes and --guidance apply to --model only.");
        if (!(guidance >= 0)) throw new UsageException($"--guidance must be ≥ 0, got {guidance}.");
        if (perClass && label is not null) throw new UsageException("give --label L (one class) or --classes (every class), not both.");
        if (guidance > 0 && label is null && !perClass) throw new UsageException("--guidance needs --label or --classes (the class to guide towards).");
        GaussianMixture? mixture;
        IDiffusionModel model;
        // One model per group of rows: the single model, or with --classes one per class.
        var groups = new List<(IDiffusionModel Model, int? Label)>();
        ImageShape? image = null;
        string? trainedOn = null;
        // The label is checked against the file's classes below, then each group builds its own model.
        using var modelFile = modelPath is null ? null : ModelFile.Open(modelPath, guidance);
        if (modelFile is not null)
        {
            var metadata = modelFile.Metadata;
            image = modelFile.Image(modelPath!);
            trainedOn = metadata.GetValueOrDefault("drift.data");
            // The class count is recorded by drift diffuse train and the ONNX export; PyTorch weights carry it in their shapes
            // only, so there the network itself checks the label.
            int? classCount = metadata.TryGetValue("drift.classes", out var cs) && int.TryParse(cs, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) ? k : null;
            if ((perClass || label is not null) && classCount == 0) throw new UsageException($"--label and --classes need a conditional model; '{modelPath}' was trained without labels.");
            if (perClass && classCount is null) throw new UsageException($"--classes needs the number of classes in the model file's metadata (drift.classes); '{modelPath}' does not record it: use --label L.");
            if (label >= classCount && classCount > 0) throw new UsageException($"--label {label} is outside the model's {classCount} classes (0..{classCount - 1}).");
            if (perClass) for (int c = 0; c < classCount; c++) groups.Add((modelFile.For(c), c));
            else groups.Add((modelFile.For(label), label));
            model = groups[0].Model;
            mixture = label is null && metadata.TryGetValue("drift.data", out var dataName) && StandardMixtures.Names.Contains(dataName) ? StandardMixtures.Get(dataName) : null;
            targetName = modelPath;
            scheduleName = model.Schedule.Name;
        }
        else
        {
            mixture = MixtureFile.Resolve(targetName!);
            if (!ScheduleCatalog.Names.Contains(scheduleName))
                throw new UsageException($"unknown schedule '{scheduleName}'; choose {string.Join(", ", ScheduleCatalog.Names)}.");
            var created = ScheduleCatalog.Create(scheduleName);
            if (samplerName == "pfgmpp" && created.LogAlpha(created.DefaultStartTime) != 0)
                throw new UsageException($"--sampler pfgmpp needs a schedule with α ≡ 1; use --schedule edm or ve (got {scheduleName}).");
            model = samplerName == "pfgmpp" ? mixture.AsPfgmppModel(created, augmentedDimension) : mixture.AsModel(created);
            groups.Add((model, null));
        }
        var schedule = model.Schedule;
        if (evaluate && (modelPath is null || trainedOn is null || !Digits.IsName(trainedOn) || model.Dimension != 64))
            throw new UsageException($"--evaluate judges models trained on the digits; '{targetName}' was trained on {trainedOn ?? "other data"}.");
        if (steering is not null)
        {
            if (a.String("sampler") is { } named && named != "euler-maruyama")
                throw new UsageException($"--steer moves particles with its own transition (fk, fkc-*: euler-maruyama; twisted: --transition); drop --sampler {named}.");
            if (modelPath is not null)
            {
                if (perClass || guidance != 0)
                    throw new UsageException("--classes and --guidance do not apply to --steer; guidance as a target is --steer fkc-cfg --label L --weight W.");
                if (plotFile is not null) throw new UsageException("--plot with --steer needs a --target mixture (it shows the exact steered target).");
                return SteerCommand.RunModel(steering, modelFile!, modelPath, label, SamplingGrid.Create(schedule, steps, spacing), gridName, seed, output, json, stdout);
            }
            if (mixture is null) throw new UsageException("--steer needs a --target mixture or a --model file.");
            return SteerCommand.Run(steering, mixture, targetName!, schedule, scheduleName, SamplingGrid.Create(schedule, steps, spacing), gridName,
                seed, output, plotFile, json, stdout);
        }
        DiffusionSampler sampler = schedule is MeanRevertingSchedule ? ModelStart.MeanRevertingSampler(modelFile!.Metadata, modelPath!, samplerName, a.String("sampler") is not null)
            : ModelStart.MeanRevertingNames.Contains(samplerName) ? throw new UsageException($"--sampler {samplerName} applies to mean-reverting (mr) models only.")
            : samplerName switch
            {
                "sde-tunable" => new TunableNoiseSampler(noiseScale),
                "pfgmpp" => new PfgmppSampler(augmentedDimension),
                _ => SamplerCatalog.Create(samplerName, rtol, atol),
            };
        if (schedule is MeanRevertingSchedule) samplerName = sampler.Name;
        var grid = SamplingGrid.Create(schedule, steps, spacing);

        int d = model.Dimension;
        // A shard (mixture targets only, one group) computes rows [first, first + rows) of the run, keyed by their global index.
        var part = shard.Shard ?? Drift.Ensembles.Shard.Whole;
        long first = part.FirstPath(n);
        int rows = merged?.Count ?? checked(shard.Shard is null ? groups.Count * n : (int)(part.EndPath(n) - first));
        var x = merged?.Values ?? new double[(long)rows * d];
        var clock = Stopwatch.StartNew();
        int nfe = merged?.Nfe ?? 0, failed = merged?.Failed ?? 0;
        long evaluations = 0;
        if (merged is null)
        {
            if (sampler is PfgmppSampler)
            {
                mixture!.Sample(1, 0, seed, first, x, rows);
                PfgmppSampler.Perturb(x, rows, d, grid.Sigma(0), augmentedDimension, seed, first);
            }
            else if (modelPath is null) mixture!.Sample(grid.Alpha(0), grid.Sigma(0), seed, first, x, rows);
            else ModelStart.Fill(modelFile!.Metadata, modelPath, grid, x, d, seed);
            clock.Restart();
            int groupRows = shard.Shard is null ? n : rows;
            for (int g = 0; g < groups.Count; g++)
            {
                // Group g holds rows [g·n, (g + 1)·n): its own start noise (rows of the one Philox stream) and sampler noise.
                nfe = sampler.Sample(groups[g].Model, grid, x.AsSpan(g * groupRows * d, groupRows * d), groupRows, seed, firstSample: first + (long)g * n,
                    cancellationToken: Runs.RunContext.Token);
                var adaptive = (sampler as AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.Tsitouras5>)?.LastRun
                    ?? (sampler as AdaptiveProbabilityFlowSampler<Drift.Solve.Adaptive.DormandPrince5>)?.LastRun;
                failed += adaptive?.FailedSamples ?? 0;
                evaluations += adaptive?.TotalEvaluations ?? (long)nfe * groupRows;
            }
        }
        if (shard.Shard is { } written)
            shard.Write(written.Index, written.Count, $"samples {first}..{first + rows - 1} of {n}",
                () => DiffuseState.ToBytes(Merge.ShardArguments.Describe("diffuse",
                    ("arguments", Merge.ShardArguments.Canonical("diffuse", ["sample"], a, "output", "plot")),
                    ("targetSha256", targetName!.StartsWith("gmm:", StringComparison.Ordinal) ? Merge.ShardArguments.Hash(targetName[4..]) : null)),
                    written, n, first, new DiffuseState.Samples(x, rows, evaluations, failed)), stderr);
        double seconds = clock.Elapsed.TotalSeconds;
        var metrics = mixture is null ? null : DiffusionMetrics.Measure(mixture, grid.Alpha(steps), grid.Sigma(steps), x, rows, seed);
        int[]? rowLabels = groups[0].Label is null ? null : [.. groups.SelectMany(g => Enumerable.Repeat(g.Label!.Value, n))];
        var digits = evaluate && failed == 0 ? DigitsReport.Measure(x, rowLabels) : null;

        // A failed adaptive solve leaves its row at the state where it stopped; the sampler does not say which rows, so
        // no sample file is written rather than one whose bad rows cannot be told apart.
        if (output is not null && failed > 0)
            stderr.WriteLine($"drift: no samples written to '{output}': {failed} of {rows} adaptive solves failed, and their rows hold the states where they stopped.");
        else if (output is not null && output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            OutputFile.WriteBinary(output, stream => NpyReport.WriteMatrix(stream, x, rows, d));
        else if (output is not null) WriteCsv(output, x, rows, d);
        if (plotFile is not null && image is not null && image.Size == d)
        {
            int columns = Math.Min(n, perClass ? 12 : 10), gridRows = perClass ? groups.Count : (Math.Min(n, 100) + columns - 1) / columns;
            var shown = new double[gridRows * columns * d];
            for (int r = 0; r < gridRows; r++)
                for (int j = 0; j < columns && (perClass ? j : r * columns + j) < n; j++)
                    x.AsSpan((perClass ? r * n + j : r * columns + j) * d, d).CopyTo(shown.AsSpan((r * columns + j) * d, d));
            string what = perClass ? $"{columns} per class" : label is null ? $"{Math.Min(n, 100)} samples" : $"label {label}";
            string guided = guidance > 0 ? string.Create(CultureInfo.InvariantCulture, $", guidance {guidance}") : "";
            OutputFile.WriteBinary(plotFile, stream => PlotReport.WriteImageGrid(stream, $"{Path.GetFileName(modelPath)}: {samplerName}, {nfe} NFE{guided}, {what}",
                shown, image.Channels, image.Height, image.Width, gridRows, columns,
                perClass ? [.. groups.Select(g => g.Label!.Value.ToString(CultureInfo.InvariantCulture))] : null));
        }
        else if (plotFile is not null)
        {
            var exact = new double[(long)rows * d];
            if (mixture is not null) mixture.Sample(grid.Alpha(steps), grid.Sigma(steps), seed + 1, 0, exact, rows);
            else exact = ReferencePoints(modelFile!.Metadata, rows, d, seed) ?? exact;
            OutputFile.WriteBinary(plotFile, stream => PlotReport.WriteSamples(stream, $"{targetName}, {samplerName}, {nfe} NFE", x, exact, rows, d));
        }
        var run = new RunInfo(targetName!, scheduleName, samplerName, gridName, steps, nfe, rows, d, seed, seconds, failed);
        if (metrics is null) WriteModelSummary(stdout, run, x, json, digits);
        else if (json) WriteJson(stdout, run, metrics);
        else WriteText(stdout, run, metrics);
        if (failed > 0)
        {
            stderr.WriteLine($"drift: {failed} of {rows} adaptive solves did not reach the end.");
            return CliApp.Diverged;
        }
        return CliApp.Ok;
    }

    /// <summary>The options of --sampler dmcmc: chains, and the <see cref="DenoisingMcmcOptions"/> (seed = --seed).</summary>
    private static (int Chains, DenoisingMcmcOptions Options) ReadDenoisingMcmc(ArgumentReader a, int n, ulong seed)
    {
        var defaults = new DenoisingMcmcOptions();
        int chains = (int)(a.Integer("chains", 1, 10_000_000) ?? Math.Max(1, n / 10));
        if (chains > n) throw new UsageException($"--chains ({chains}) cannot exceed --n ({n}).");
        var options = new DenoisingMcmcOptions
        {
            Levels = (int)(a.Integer("levels", 2, 100_000) ?? defaults.Levels),
            SigmaLow = a.Positive("sigma-low") ?? defaults.SigmaLow,
            SigmaHigh = a.Positive("sigma-high") ?? defaults.SigmaHigh,
            StepSize = a.Positive("langevin-step") ?? 0.05,
            Skip = (int)(a.Integer("skip", 1, 1000) ?? 3),
            BurnIn = (int)(a.Integer("burn-in", 0, 100_000) ?? defaults.BurnIn),
            InitSteps = (int)(a.Integer("init-steps", 2, 10_000) ?? 8),
            DenoiseSteps = (int)(a.Integer("denoise-steps", 2, 10_000) ?? 2),
            Seed = seed,
            CancellationToken = Runs.RunContext.Token,
        };
        return (chains, options);
    }

    /// <summary>--sampler dmcmc: <see cref="DenoisingMcmc"/> on the exact mixture (edm schedule), reported like any sampler at σ = 0.</summary>
    private static int RunDenoisingMcmc((int Chains, DenoisingMcmcOptions Options) dmcmc, GaussianMixture mixture, string targetName, int n, ulong seed,
        string? output, string? plotFile, bool json, TextWriter stdout)
    {
        var schedule = new EdmSchedule();
        var o = dmcmc.Options;
        if (!(o.SigmaLow > schedule.SigmaMin) || !(o.SigmaHigh > o.SigmaLow) || !(o.SigmaHigh <= schedule.SigmaMax))
            throw new UsageException($"need {schedule.SigmaMin} < --sigma-low < --sigma-high ≤ {schedule.SigmaMax}, got {o.SigmaLow} and {o.SigmaHigh}.");
        int chains = dmcmc.Chains, rounds = (n + chains - 1) / chains, d = mixture.Dimension;
        NoiseLevelLogLikelihood classifier = (sigma, x, logLikelihood, samples) => mixture.Score(1, sigma, x, default, samples, logLikelihood);
        var clock = Stopwatch.StartNew();
        var result = DenoisingMcmc.Sample(mixture.AsModel(schedule), classifier, chains, rounds, o);
        double seconds = clock.Elapsed.TotalSeconds;
        // Rounds are stored one after another, so the first n rows are whole rounds and at most one partial round.
        var x = new double[(long)n * d];
        for (long k = 0; k < x.Length; k++) x[k] = result.Samples[(int)k];
        var metrics = DiffusionMetrics.Measure(mixture, 1, 0, x, n, seed);
        if (output is not null && output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            OutputFile.WriteBinary(output, stream => NpyReport.WriteMatrix(stream, x, n, d));
        else if (output is not null) WriteCsv(output, x, n, d);
        int nfe = (int)Math.Ceiling(result.AmortisedEvaluations);
        if (plotFile is not null)
        {
            var exact = new double[(long)n * d];
            mixture.Sample(1, 0, seed + 1, 0, exact, n);
            OutputFile.WriteBinary(plotFile, stream => PlotReport.WriteSamples(stream, string.Create(CultureInfo.InvariantCulture,
                $"{targetName}, dmcmc, {result.AmortisedEvaluations:F1} NFE per output"), x, exact, n, d));
        }
        var run = new RunInfo(targetName, "edm", "dmcmc", "karras", o.DenoiseSteps, nfe, n, d, seed, seconds, 0);
        var c = CultureInfo.InvariantCulture;
        if (json) WriteJson(stdout, run, metrics, j =>
        {
            j.WriteNumber("chains", chains);
            j.WriteNumber("rounds", rounds);
            j.WriteNumber("nfePerOutput", result.AmortisedEvaluations);
            j.WriteNumber("setupNfePerChain", result.SetupEvaluations);
            j.WriteNumber("meanStartSigma", result.MeanStartSigma);
        });
        else
        {
            WriteText(stdout, run, metrics);
            stdout.WriteLine(string.Create(c, $"dmcmc           {chains} chains × {rounds} rounds; NFE per output {result.EvaluationsPerOutput} + setup {result.SetupEvaluations}/chain = {result.AmortisedEvaluations:F2} amortised; mean start σ {result.MeanStartSigma:F3}"));
        }
        return CliApp.Ok;
    }

    /// <summary>--pfgm-d: required by (and only by) --sampler pfgmpp; a number ≥ 1 or 'inf' (the EDM limit).</summary>
    private static double ReadAugmentedDimension(string samplerName, string? text, string? modelPath)
    {
        if (samplerName != "pfgmpp")
        {
            if (text is not null) throw new UsageException("--pfgm-d applies to --sampler pfgmpp only.");
            return double.PositiveInfinity;
        }
        if (modelPath is not null) throw new UsageException("--sampler pfgmpp needs a --target mixture (its exact D-denoiser); trained PFGM++ models are not supported.");
        if (text is null) throw new UsageException("--sampler pfgmpp needs --pfgm-d D (augmented dimension ≥ 1, or inf for EDM).");
        double value = text is "inf" or "infinity" ? double.PositiveInfinity
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
        if (!(value >= 1)) throw new UsageException($"--pfgm-d must be a number ≥ 1 or 'inf', got '{text}'.");
        return value;
    }

    private sealed record RunInfo(string Target, string Schedule, string Sampler, string Grid, int Steps, int Nfe, int Samples, int Dimension, ulong Seed, double Seconds, int Failed);

    /// <summary>Points of the model's training set (built-in sets regenerated, files read) to plot against, or null.</summary>
    private static double[]? ReferencePoints(IReadOnlyDictionary<string, string> metadata, int n, int d, ulong seed)
    {
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

    private static void WriteModelSummary(TextWriter w, RunInfo r, double[] x, bool json, DigitsReport? digits)
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
                digits?.Write(j);
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
        digits?.Write(w);
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

    private static void WriteJson(TextWriter w, RunInfo r, DiffusionMetrics m, Action<Utf8JsonWriter>? extra = null)
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
            extra?.Invoke(j);
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
