using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Cli.Simulate;
using Drift.IO;
using Drift.Sampling;
using Drift.Sampling.Diagnostics;
using Drift.Sampling.Language;
using Drift.Models.Text;
using Drift.Sampling.Targets;

namespace Drift.Cli.Mcmc;

/// <summary><c>drift mcmc</c>: MCMC on a built-in target or a density model file with Stan's warm-up, a summary table, warnings, draws and a trace plot.</summary>
public static class McmcCommand
{
    /// <summary>Why the command, not the parser, checks its kernel names (<see cref="OptionSpec.CheckedByCommand"/>).</summary>
    private const string AnyCase = "any case (the command lower-cases the name)";

    /// <summary>The option model of <c>drift mcmc</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["mcmc"],
        """
        usage: drift mcmc TARGET [options]              sample a built-in target; print the summary table
               drift mcmc MODEL.drift --data FILE [options]   sample a density model (docs/sampling.md, "Density language")

        targets (exact moments in docs/sampling.md):
          gaussian       standard normal N(0, I) in --dim dimensions (default 10)
          ill            centred Gaussian, standard deviations 1 .. 100 (condition number 1e4), --dim (default 10)
          correlated     unit variances, every correlation --rho (default 0.9), --dim (default 10)
          funnel         Neal's funnel: v ~ N(0, 9), x_k | v ~ N(0, e^v), --dim (default 10)
          banana         theta1 ~ N(0, 100), theta2 | theta1 ~ N(0.03 (theta1^2 - 100), 1)
          rastrigin      (--sampler cbo or cbs) Rastrigin's function, minimum 0 at x = --shift in every
                         coordinate, --dim (default 10)
          ackley         (--sampler cbo or cbs) Ackley's function, minimum 0 at x = --shift, --dim
          petersen       (--sampler srrw only) the Petersen graph (10 nodes, 3-regular)
          GRAPH          (--sampler srrw only) an edge-list file: two node labels per line ('#'
                         comments), each undirected edge once (repeats are counted once)
          MODEL.drift    a density model: data, param (with bounds), y ~ dist(...), target += ...; draws are
                         reported on the constrained scale under the parameter names (beta[1] ... beta[K])

        options:
        """,
        [
            OptionSpec.Choice("sampler", "kernel; obabo: underdamped Langevin\n"
                + "(OBABO splitting, unadjusted); ghmc: Metropolis-adjusted OBABO\n"
                + "(Horowitz's generalised HMC); smc: tempered SMC from the prior to the\n"
                + "posterior of a MODEL.drift ('~' on a parameter's name is its prior, the\n"
                + "rest the likelihood), --chains independent runs of --draws particles,\n"
                + "reporting log evidence +- its standard error over the runs;\n"
                + "sgld|sghmc: stochastic-gradient Langevin / HMC on a MODEL.drift: each iteration draws\n"
                + "--batch B observations without replacement (rows of the data sized by\n"
                + "the likelihood's count N; 0 = all) and scales their likelihood by N/B;\n"
                + "--step-size (default 1e-3) is constant, --warmup iterations are burn-in,\n"
                + "--friction is SGHMC's C; no Metropolis correction;\n"
                + "ubu: underdamped Langevin by the UBU splitting (one gradient per\n"
                + "draw, unadjusted, biased by O(step^2)); maubu: UBU with a Metropolis\n"
                + "test and a momentum flip on rejection (exact);\n"
                + "cbo: consensus-based optimisation (no sampling): minimises rastrigin,\n"
                + "ackley, or -log density of any other target (its mode), printing\n"
                + "the consensus point and the objective there;\n"
                + "cbs: consensus-based sampling (Carrillo, Hoffmann, Stuart & Vaes 2022)\n"
                + "of exp(-f), f as for cbo: --chains independent runs of --particles\n"
                + "particles, the final particles are the draws;\n"
                + "srrw: self-repellent random walks (Doshi, Hu & Eun 2023) on a GRAPH\n"
                + "(petersen or an edge-list file): --chains walks (default 100) of\n"
                + "--draws steps (default 10000), strength --alpha (default 1), against as\n"
                + "many walks of the base walk: visit frequencies against the target and\n"
                + "the asymptotic-variance reduction, measured and by the paper's formula",
                "nuts", "nuts", "hmc", "mala", "rwm", "ula", "obabo", "ghmc", "ubu", "maubu", "smc", "sgld", "sghmc", "cbo", "cbs", "srrw") with { Value = "NAME", CheckedByCommand = AnyCase },
            OptionSpec.Integer("moves", "smc: Metropolis moves per temperature", "5"),
            OptionSpec.Choice("smc-kernel", "smc: move kernel, scaled by the particle covariance", "rw", "rw", "mala") with { CheckedByCommand = AnyCase },
            OptionSpec.Integer("batch", "sgld/sghmc: minibatch size (0 = all)", "0", "B"),
            OptionSpec.Real("temperature", "T", "sgld/sghmc: temperature", "1"),
            OptionSpec.Integer("particles", "cbo/cbs: particles N", "100 cbo, 1000 cbs"),
            OptionSpec.Real("alpha", "A", "cbo/cbs: weight exponent of the consensus e^(-alpha f) (the CBS paper's\n"
                + "beta); srrw: self-repellence, kernel P_ij (x_j/mu_j)^-alpha", "30 cbo, 1 cbs, 1 srrw"),
            OptionSpec.Choice("base-walk", "srrw: the base walk: srw (simple random walk, target mu_i proportional\n"
                + "to degree) or mh (Metropolis-Hastings, uniform target)", "srw", "srw", "mh") with { CheckedByCommand = AnyCase },
            OptionSpec.Real("lambda", "L", "cbo: drift rate lambda toward the consensus (cbs: lambda is set by\n"
                + "--cbs-mode: 1/(1 + beta) sampling, 1 optimisation)", "1"),
            OptionSpec.Real("sigma", "S", "cbo: exploration noise sigma", "1"),
            OptionSpec.Choice("cbo-noise", "cbo: sigma (x - m) . dW per coordinate (anisotropic, Carrillo et al.\n"
                + "2021) or sigma |x - m| dW (isotropic, Pinnau et al. 2017)", "anisotropic", "anisotropic", "isotropic") with { CheckedByCommand = AnyCase },
            OptionSpec.Choice("cbs-mode", "cbs: sampling (the invariant law of a Gaussian exp(-f) is exactly\n"
                + "exp(-f)/Z) or optimisation (the cloud contracts onto argmin f)", "sampling", "sampling", "optimisation") with { CheckedByCommand = AnyCase + "; alias optimization" },
            OptionSpec.Integer("iterations", "cbo: most steps (stops earlier when the particles have collapsed);\n"
                + "cbs: steps", "10000 cbo, 100 cbs"),
            OptionSpec.Real("shift", "S", "rastrigin/ackley: every coordinate of the minimiser", "0"),
            OptionSpec.Integer("dim", "dimension of gaussian, ill, correlated, funnel, rastrigin and ackley", "10"),
            OptionSpec.Real("rho", "R", "correlation of the correlated target", "0.9"),
            OptionSpec.Real("friction", "G", "friction of obabo/ghmc/ubu/maubu", "1"),
            OptionSpec.Integer("chains", "chains (smc/cbs: independent runs; srrw: walks, default 100)", "4"),
            OptionSpec.Integer("warmup", "warm-up iterations per chain", "1000"),
            OptionSpec.Integer("draws", "draws per chain (srrw: steps per walk, default 10000)", "1000"),
            OptionSpec.Choice("metric", "metric adapted in warm-up", "diag", "unit", "diag", "dense") with { CheckedByCommand = AnyCase + "; alias diagonal" },
            OptionSpec.Choice("integrator", "HMC/NUTS integrator", "leapfrog", "leapfrog", "mclachlan", "yoshida") with { CheckedByCommand = AnyCase + "; alias verlet" },
            OptionSpec.Real("adapt-delta", "D", "target acceptance", "0.8 NUTS/HMC, 0.574 MALA/ULA, 0.234 RWM"),
            OptionSpec.Integer("max-depth", "NUTS maximum tree depth", "10"),
            OptionSpec.Integer("steps", "integrator steps per HMC transition", "16"),
            OptionSpec.Real("step-size", "E", "initial step size (cbo: the time step dt, default 0.01; cbs: dt of the\n"
                + "exact OU step, default 0.5)", "1"),
            OptionSpec.Seed(),
            OptionSpec.Threads(),
            OptionSpec.File("output", "FILE.csv|FILE.parquet|FILE.npy", "every draw: chain, draw, parameters, accept_stat, stepsize, treedepth,\n"
                + "n_leapfrog, divergent, energy, lp (smc: chain = run, draw = particle\n"
                + "after systematic resampling to equal weights; cbs: chain = run, draw =\n"
                + "final particle; sampler columns NaN/0). FILE.npy: float64 array\n"
                + "(chains*draws, columns), rows chain-major, divergent 1/0, the column\n"
                + "names one per line in FILE.npy.columns"),
            OptionSpec.File("plot", "FILE.png", "trace plots and rank histograms per chain (up to four parameters),\n"
                + "pair plots of the first three parameters, divergent draws in red"),
            OptionSpec.Json("the summary as JSON on stdout"),
            OptionSpec.Flag("quiet", "no progress on stderr"),
            OptionSpec.File("data", "FILE.json|FILE.csv", "data of a density model (JSON object of named values, or CSV columns\n"
                + "with a header; X[1], X[2], ... are the columns of matrix X)"),
            .. Merge.ShardArguments.Options("chains [floor(iC/N), floor((i+1)C/N)) of the C = --chains run, each\n"
                + "exactly as unsharded (draws keyed by chain, adaptation per chain);\nnuts, hmc, mala, rwm, ula, obabo, ghmc, ubu, maubu",
                "write the shard's chains (every draw, sampler statistics, warm-up results) for\n'drift merge', which recomputes R-hat, ESS and MCSE from all draws"),
            OptionSpec.Flag("check-gradient", "compare the gradient with central finite differences at each chain's\n"
                + "initial point, report the worst component by name, and stop (exit 1\n"
                + "when the relative error exceeds 1e-5)"),
        ])
    {
        Summary = "MCMC (NUTS, HMC, MALA, RWM, ULA, UBU, SMC, SG-MCMC), CBO/CBS, SRRW on graphs, Stan's warm-up; built-in target or MODEL.drift",
        Positional = () => ["gaussian", "ill", "correlated", "funnel", "banana", "rastrigin", "ackley", "petersen"],
        Notes = """
            Warnings (stderr) name parameters with R-hat > 1.01 or ESS below 100 per chain, divergent transitions,
            tree-depth saturation and E-BFMI below 0.3.
            """,
    };

    /// <summary>Largest relative gradient error --check-gradient accepts (central differences of step 1e-5 agree to about 1e-7).</summary>
    private const double GradientTolerance = 1e-5;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    /// <summary>Runs the command; with <paramref name="merged"/> (from <c>drift merge</c> of shard states) their chains are reported instead of new ones.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyList<McmcState>? merged)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1) throw new UsageException("mcmc takes one target: gaussian, ill, correlated, funnel, banana or a MODEL.drift file (see 'drift mcmc --help').");
        string name = a.Positional[0];
        int dim = (int)(a.Integer("dim", 2, 10_000) ?? 10);
        string samplerName = a.String("sampler") ?? "nuts";
        bool smc = samplerName.Equals("smc", StringComparison.OrdinalIgnoreCase);
        int moves = (int)(a.Integer("moves", 0, 1_000_000) ?? 5);
        string smcKernel = a.String("smc-kernel") ?? "rw";
        bool sg = samplerName.ToLowerInvariant() is "sgld" or "sghmc";
        bool cbo = samplerName.Equals("cbo", StringComparison.OrdinalIgnoreCase);
        bool cbs = samplerName.Equals("cbs", StringComparison.OrdinalIgnoreCase);
        int? particlesGiven = (int?)a.Integer("particles", 2, 100_000_000);
        int particles = particlesGiven ?? 100;
        double? alphaGiven = a.Real("alpha");
        double alpha = alphaGiven ?? 30, sigma = a.Real("sigma") ?? 1, shift = a.Real("shift") ?? 0, lambda = a.Real("lambda") ?? 1;
        int? iterationsGiven = (int?)a.Integer("iterations", 1, int.MaxValue);
        int iterations = iterationsGiven ?? 10_000;
        string cbsMode = a.String("cbs-mode") ?? "sampling", cboNoise = a.String("cbo-noise") ?? "anisotropic", baseWalk = a.String("base-walk") ?? "srw";
        int batch = (int)(a.Integer("batch", 0, int.MaxValue) ?? 0);
        double temperature = a.Real("temperature") ?? 1;
        double? stepSize = a.Real("step-size");
        double rho = a.Real("rho") ?? 0.9;
        bool srrw = samplerName.Equals("srrw", StringComparison.OrdinalIgnoreCase);
        int? chainsGiven = (int?)a.Integer("chains", 1, srrw ? 10_000_000 : 4096);
        int? warmupGiven = (int?)a.Integer("warmup", 0, 100_000_000), drawsGiven = (int?)a.Integer("draws", 1, srrw ? int.MaxValue : 100_000_000);
        var options = new McmcOptions
        {
            CancellationToken = Runs.RunContext.Token,
            Sampler = smc || sg || cbo || cbs || srrw ? SamplerKind.Nuts : ParseSampler(samplerName),
            Chains = chainsGiven ?? 4,
            Warmup = warmupGiven ?? 1000,
            Draws = drawsGiven ?? 1000,
            Metric = ParseMetric(a.String("metric") ?? "diag"),
            Integrator = ParseIntegrator(a.String("integrator") ?? "leapfrog"),
            TargetAcceptance = a.Real("adapt-delta"),
            MaxTreeDepth = (int)(a.Integer("max-depth", 1, 30) ?? 10),
            HmcSteps = (int)(a.Integer("steps", 1, 1_000_000) ?? 16),
            Friction = a.Real("friction") ?? 1,
            StepSize = stepSize ?? 1,
            Seed = a.Seed() ?? 1,
            Threads = (int)(a.Integer("threads", 1, 1024) ?? 0),
        };
        if (!(options.Friction > 0) || !double.IsFinite(options.Friction)) throw new UsageException($"--friction must be finite and positive; got {options.Friction}.");
        if (options.TargetAcceptance is { } delta && !(delta > 0 && delta < 1)) throw new UsageException($"--adapt-delta must lie in (0, 1); got {delta}.");
        string? output = a.String("output"), plot = a.String("plot");
        bool json = a.Flag("json"), quiet = a.Flag("quiet"), checkGradient = a.Flag("check-gradient");
        string? dataPath = a.String("data");
        var shard = Merge.ShardArguments.Read(a, options.Chains);
        a.RejectUnknown();
        bool isModel = name.EndsWith(".drift", StringComparison.OrdinalIgnoreCase);
        if (shard.Shard is not null && (smc || sg || cbo || cbs || srrw || checkGradient))
            throw new UsageException($"--shard/--state split the chains of an MCMC run, not --sampler {samplerName}{(checkGradient ? " --check-gradient" : "")}.");
        options = options with { Shard = shard.Shard };
        if (dataPath is not null && !isModel) throw new UsageException($"--data goes with a MODEL.drift file, not the built-in target '{name}'.");
        if (output is not null && !ParquetReport.IsParquet(output) && !output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !IsNpy(output))
            throw new UsageException($"--output '{output}': give a .csv, .parquet or .npy file.");
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--plot '{plot}': give a .png file.");
        OutputPaths.Check(output, plot, shard.StateFile);

        if (srrw)
        {
            if (output is not null || plot is not null || checkGradient) throw new UsageException("--sampler srrw prints visit frequencies and variances only (no --output, --plot or --check-gradient).");
            if (warmupGiven is not null) throw new UsageException("--sampler srrw has no warm-up: its visit frequencies start from the target itself (x_0 = mu); leave out --warmup.");
            var graph = name.Equals("petersen", StringComparison.OrdinalIgnoreCase) ? SrrwRuns.Petersen() : SrrwRuns.Read(name);
            bool metropolis = baseWalk.ToLowerInvariant() switch
            {
                "srw" => false,
                "mh" => true,
                var b => throw new UsageException($"--base-walk '{b}': choose srw or mh."),
            };
            var srrwOptions = new Sampling.Graphs.SrrwOptions
            {
                Alpha = alphaGiven ?? 1, Walks = chainsGiven ?? 100, Steps = drawsGiven ?? 10_000,
                Seed = options.Seed, Threads = options.Threads, CancellationToken = options.CancellationToken,
            };
            if (!(srrwOptions.Alpha >= 0) || !double.IsFinite(srrwOptions.Alpha)) throw new UsageException($"--alpha must be finite and non-negative for srrw; got {srrwOptions.Alpha}.");
            var walked = SrrwRuns.Run(graph, metropolis, srrwOptions);
            if (json) SrrwRuns.WriteJson(stdout, walked, options.Seed);
            else SrrwRuns.WriteTable(stdout, walked, options.Seed);
            return CliApp.Ok;
        }
        if (smc && !checkGradient)
        {
            if (!isModel) throw new UsageException($"--sampler smc needs a MODEL.drift file (its prior and likelihood), not the built-in target '{name}'.");
            var smcOptions = new Sampling.Smc.TemperedSmcOptions
            {
                Particles = Math.Max(2, options.Draws),
                MoveSteps = moves,
                Kernel = smcKernel.ToLowerInvariant() switch
                {
                    "rw" or "random-walk" => Sampling.Smc.SmcKernel.RandomWalk,
                    "mala" => Sampling.Smc.SmcKernel.Mala,
                    _ => throw new UsageException($"--smc-kernel '{smcKernel}': choose rw or mala."),
                },
                Seed = options.Seed,
                Threads = options.Threads,
                CancellationToken = options.CancellationToken,
            };
            var tempered = LoadModel(name, dataPath, (m, d) => m.BindTempered(d));
            SmcRuns.Result runs;
            try
            {
                runs = SmcRuns.Run(tempered, options.Chains, smcOptions, quiet ? null : stderr);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{name}: {e.Message}");
            }
            var smcWarnings = SmcRuns.Warnings(runs);
            if (output is not null || plot is not null)
                WriteDraws(SmcRuns.Resampled(runs, options.Seed), output, plot, $"{name} — SMC (resampled)");
            if (json) SmcRuns.WriteJson(stdout, name, runs, smcOptions, smcWarnings);
            else SmcRuns.WriteTable(stdout, name, runs, smcOptions);
            foreach (var w in smcWarnings) stderr.WriteLine($"warning: {w}");
            return CliApp.Ok;
        }
        if (sg && !checkGradient)
        {
            if (!isModel) throw new UsageException($"--sampler {samplerName} needs a MODEL.drift file (its prior and its observations), not the built-in target '{name}'.");
            if (plot is not null || output is not null) throw new UsageException($"--sampler {samplerName} prints the summary only (no --plot or --output yet).");
            if (!(temperature >= 0) || !double.IsFinite(temperature)) throw new UsageException($"--temperature must be finite and non-negative; got {temperature}.");
            double eps = stepSize ?? 1e-3;
            if (!(eps > 0) || !double.IsFinite(eps)) throw new UsageException($"--step-size must be finite and positive; got {eps}.");
            var minibatch = LoadModel(name, dataPath, (m, d) => m.BindMinibatch(d));
            if (batch > minibatch.DataCount) throw new UsageException($"--batch {batch} exceeds the {minibatch.DataCount} observations of {name}.");
            var sgOptions = new Sampling.Stochastic.SgmcmcOptions
            {
                Sampler = samplerName.Equals("sgld", StringComparison.OrdinalIgnoreCase) ? Sampling.Stochastic.SgmcmcKind.Sgld : Sampling.Stochastic.SgmcmcKind.Sghmc,
                Schedule = Sampling.Stochastic.StepSchedule.Constant(eps),
                BatchSize = batch,
                Temperature = temperature,
                Friction = options.Friction,
                EstimateGradientNoise = batch > 0 && batch < minibatch.DataCount && !samplerName.Equals("sgld", StringComparison.OrdinalIgnoreCase),
                Chains = options.Chains,
                Iterations = options.Warmup + options.Draws,
                Burnin = options.Warmup,
                Seed = options.Seed,
                Initial = Sampling.Mcmc.InitialPoints(minibatch.Posterior, options),
                Threads = options.Threads,
                Progress = quiet ? null : new ChainProgress(stderr, options.Chains),
                CancellationToken = options.CancellationToken,
            };
            var sgClock = System.Diagnostics.Stopwatch.StartNew();
            var sgResult = Sampling.Stochastic.Sgmcmc.Sample(minibatch, sgOptions);
            var point = new double[minibatch.Dimension];
            var names = minibatch.Posterior.Names;
            var sgSummary = names.Select((n, i) => ParameterSummary.Of(n, sgResult.Function(u => { minibatch.Posterior.Constrain(u, point); return point[i]; }))).ToArray();
            stdout.WriteLine($"{name}: {sgOptions.Sampler.ToString().ToUpperInvariant()}, {options.Chains} chains x {sgResult.DrawsPerChain} draws after {options.Warmup} burn-in, step size {F(eps)}, " +
                $"batch {(batch == 0 ? minibatch.DataCount : batch)} of {minibatch.DataCount} (likelihood x {F((double)minibatch.DataCount / (batch == 0 ? minibatch.DataCount : batch))}), temperature {F(temperature)}, seed {options.Seed}, {F(sgClock.Elapsed.TotalSeconds, "F2")} s");
            WriteSummary(stdout, sgSummary);
            foreach (var s in sgSummary.Where(s => s.Rhat > 1.01)) stderr.WriteLine($"warning: {s.Name}: R-hat {F(s.Rhat, "F3")} > 1.01.");
            stderr.WriteLine("note: SG-MCMC has no Metropolis correction: at a fixed step size its draws are biased (O(step) for SGLD); compare two step sizes.");
            return CliApp.Ok;
        }
        bool objective = name.ToLowerInvariant() is "rastrigin" or "ackley";
        if (objective && !cbo && !cbs) throw new UsageException($"'{name}' is an objective to minimise, not a density: use --sampler cbo (or cbs).");
        DensityTarget? model = isModel && merged is null ? LoadModel(name, dataPath, (m, d) => m.Bind(d)) : null;
        if ((cbo || cbs) && !checkGradient)
        {
            string what = objective ? "f" : "-log density";
            try
            {
                if (cbs)
                {
                    var cbsOptions = new Sampling.Consensus.CbsOptions
                    {
                        Particles = particlesGiven ?? 1000, Alpha = alphaGiven ?? 1, StepSize = stepSize ?? 0.5, Steps = iterationsGiven ?? 100,
                        Mode = cbsMode.ToLowerInvariant() switch
                        {
                            "sampling" => Sampling.Consensus.CbsMode.Sampling,
                            "optimisation" or "optimization" => Sampling.Consensus.CbsMode.Optimisation,
                            _ => throw new UsageException($"--cbs-mode '{cbsMode}': choose sampling or optimisation."),
                        },
                        Seed = options.Seed, Threads = options.Threads, CancellationToken = options.CancellationToken,
                    };
                    var sampled = WithObjective(name, model, dim, rho, shift, new CbsUser(cbsOptions, options.Chains));
                    WriteDraws(sampled.Draws, output, plot, $"{name} — CBS");
                    if (json) CbsRuns.WriteJson(stdout, name, sampled, cbsOptions);
                    else CbsRuns.WriteTable(stdout, name, sampled, cbsOptions);
                    return CliApp.Ok;
                }
                if (plot is not null || output is not null) throw new UsageException("--sampler cbo prints the minimiser only (no --plot or --output).");
                var cboOptions = new Sampling.Consensus.CboOptions
                {
                    Particles = particles, Alpha = alpha, Lambda = lambda, Sigma = sigma, StepSize = stepSize ?? 0.01, Steps = iterations,
                    Noise = cboNoise.ToLowerInvariant() switch
                    {
                        "anisotropic" => Sampling.Consensus.CboNoise.Anisotropic,
                        "isotropic" => Sampling.Consensus.CboNoise.Isotropic,
                        _ => throw new UsageException($"--cbo-noise '{cboNoise}': choose anisotropic or isotropic."),
                    },
                    Seed = options.Seed, Threads = options.Threads, CancellationToken = options.CancellationToken,
                };
                var found = WithObjective(name, model, dim, rho, shift, new CboUser(cboOptions));
                if (json) CboRuns.WriteJson(stdout, name, what, found, cboOptions);
                else CboRuns.WriteTable(stdout, name, what, found, cboOptions);
                return CliApp.Ok;
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{name}: {e.Message}");
            }
        }
        if (model is { } m) options = options with { ParameterNames = m.Names };
        if (checkGradient)
        {
            return name switch
            {
                _ when model is { } dm => CheckGradient(dm, options, stdout),
                "gaussian" => CheckGradient(DiagonalGaussian.Standard(dim), options, stdout),
                "ill" or "ill-conditioned" => CheckGradient(DiagonalGaussian.IllConditioned(dim, 1e4), options, stdout),
                "correlated" => CheckGradient(MultivariateGaussian.Equicorrelated(dim, rho), options, stdout),
                "funnel" => CheckGradient(new Funnel(dim), options with { ParameterNames = ["v", .. Enumerable.Range(1, dim - 1).Select(k => $"x[{k}]")] }, stdout),
                "banana" => CheckGradient(Banana.Haario(), options with { ParameterNames = ["theta[1]", "theta[2]"] }, stdout),
                _ => throw new UsageException($"unknown target '{name}'; choose gaussian, ill, correlated, funnel, banana or a MODEL.drift file."),
            };
        }

        var progress = quiet ? null : new ChainProgress(stderr, options.Chains);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = merged is not null ? MergeChains(merged, options) : name switch
        {
            _ when model is { } dm => SampleTarget(dm, options).MapDraws(dm.Names, dm.Constrain),
            "gaussian" => SampleTarget(DiagonalGaussian.Standard(dim), options),
            "ill" or "ill-conditioned" => SampleTarget(DiagonalGaussian.IllConditioned(dim, 1e4), options),
            "correlated" => SampleTarget(MultivariateGaussian.Equicorrelated(dim, rho), options),
            "funnel" => SampleTarget(new Funnel(dim), options with { ParameterNames = ["v", .. Enumerable.Range(1, dim - 1).Select(k => $"x[{k}]")] }),
            "banana" => SampleTarget(Banana.Haario(), options with { ParameterNames = ["theta[1]", "theta[2]"] }),
            _ => throw new UsageException($"unknown target '{name}'; choose gaussian, ill, correlated, funnel, banana or a MODEL.drift file."),
        };
        McmcResult SampleTarget<T>(T target, McmcOptions o) where T : struct, ILogDensity => Sampling.Mcmc.Sample(target, o with { Progress = progress });
        double seconds = clock.Elapsed.TotalSeconds;

        if (result.Options.Shard is not null)
            shard.Write(shard.Shard!.Value.Index, shard.Shard.Value.Count, $"chains {result.FirstChain}..{result.FirstChain + result.Chains - 1} of {options.Chains}",
                () => new McmcState(result, Describe(name, dataPath, a)).ToBytes(), stderr);
        var summary = result.Summary();
        var warnings = result.Warnings(summary);
        WriteDraws(result, output, plot, $"{name} — {options.Sampler.ToString().ToUpperInvariant()}");
        if (json) WriteJson(stdout, name, result, summary, warnings, seconds);
        else WriteTable(stdout, name, result, summary, seconds);
        foreach (var w in warnings) stderr.WriteLine($"warning: {w}");
        return CliApp.Ok;
    }

    /// <summary>The joined chains of a merge, refused with a usage error naming the files when they are not one run's.</summary>
    private static McmcResult MergeChains(IReadOnlyList<McmcState> states, McmcOptions options)
    {
        try
        {
            return McmcState.Merge(states, options with { Shard = null, ParameterNames = states[0].Result.Names });
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// The run description an MCMC state records: the canonical arguments (which <c>drift merge</c> reruns) and the
    /// SHA-256 of the model and data files, so shards of different models or data are refused.
    /// </summary>
    private static string Describe(string name, string? dataPath, ArgumentReader a) =>
        Merge.ShardArguments.Describe("mcmc",
            ("arguments", Merge.ShardArguments.Canonical("mcmc", [name], a, "output", "plot", "quiet")),
            ("modelSha256", name.EndsWith(".drift", StringComparison.OrdinalIgnoreCase) ? Merge.ShardArguments.Hash(name) : null),
            ("dataSha256", dataPath is null ? null : Merge.ShardArguments.Hash(dataPath)));

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// --output (CSV, Parquet, or .npy with the column names in FILE.npy.columns; columns <see cref="McmcResult.Columns"/>)
    /// and --plot (<see cref="McmcPlot"/>) of any run's draws.
    /// </summary>
    internal static void WriteDraws(McmcResult result, string? output, string? plot, string title)
    {
        if (output is not null)
        {
            if (ParquetReport.IsParquet(output)) OutputFile.WriteBinary(output, s => ParquetReport.WriteDraws(s, result));
            else if (IsNpy(output))
            {
                OutputFile.WriteBinary(output, s => NpyReport.WriteDraws(s, result));
                OutputFile.Write(NpyReport.ColumnsSidecar(output), w => { foreach (var c in result.Columns) w.WriteLine(c); });
            }
            else result.WriteCsv(output);
        }
        if (plot is not null) OutputFile.WriteBinary(plot, s => McmcPlot.Write(s, title, result));
    }

    /// <summary>Something run on a consensus objective (CBO's minimiser, CBS's particles), whatever its struct type.</summary>
    private interface IObjectiveUser<out TResult>
    {
        TResult Use<T>(T objective, string[] names, Func<double[], double[]>? constrain) where T : struct, Sampling.Consensus.IObjective;
    }

    private sealed class CboUser(Sampling.Consensus.CboOptions options) : IObjectiveUser<CboRuns.Result>
    {
        public CboRuns.Result Use<T>(T objective, string[] names, Func<double[], double[]>? constrain) where T : struct, Sampling.Consensus.IObjective
            => CboRuns.Minimize(objective, options, names, constrain);
    }

    private sealed class CbsUser(Sampling.Consensus.CbsOptions options, int runs) : IObjectiveUser<CbsRuns.Result>
    {
        public CbsRuns.Result Use<T>(T objective, string[] names, Func<double[], double[]>? constrain) where T : struct, Sampling.Consensus.IObjective
            => CbsRuns.Sample(objective, options, runs, names, constrain);
    }

    /// <summary>
    /// The consensus objective of a target: rastrigin and ackley themselves, f = −log π of any density target (a
    /// MODEL.drift on its unconstrained scale, reported constrained), with the parameters' names.
    /// </summary>
    private static TResult WithObjective<TResult>(string name, DensityTarget? model, int dim, double rho, double shift, IObjectiveUser<TResult> user)
    {
        string[] Names(int d) => [.. Enumerable.Range(1, d).Select(i => $"x[{i}]")];
        return name.ToLowerInvariant() switch
        {
            _ when model is { } dm => user.Use(new CboRuns.NegativeLogDensity<DensityTarget>(dm), [.. dm.Names],
                u => { var x = new double[dm.Names.Count]; dm.Constrain(u, x); return x; }),
            "rastrigin" => user.Use(new Sampling.Consensus.Rastrigin(dim, shift), Names(dim), null),
            "ackley" => user.Use(new Sampling.Consensus.Ackley(dim, shift), Names(dim), null),
            "gaussian" => user.Use(new CboRuns.NegativeLogDensity<DiagonalGaussian>(DiagonalGaussian.Standard(dim)), Names(dim), null),
            "ill" or "ill-conditioned" => user.Use(new CboRuns.NegativeLogDensity<DiagonalGaussian>(DiagonalGaussian.IllConditioned(dim, 1e4)), Names(dim), null),
            "correlated" => user.Use(new CboRuns.NegativeLogDensity<MultivariateGaussian>(MultivariateGaussian.Equicorrelated(dim, rho)), Names(dim), null),
            "funnel" => user.Use(new CboRuns.NegativeLogDensity<Funnel>(new Funnel(dim)), ["v", .. Enumerable.Range(1, dim - 1).Select(k => $"x[{k}]")], null),
            "banana" => user.Use(new CboRuns.NegativeLogDensity<Banana>(Banana.Haario()), ["theta[1]", "theta[2]"], null),
            _ => throw new UsageException($"unknown target '{name}'; choose gaussian, ill, correlated, funnel, banana, rastrigin, ackley or a MODEL.drift file."),
        };
    }

    /// <summary>Reads, parses and binds a density model; errors name the file with line and column, or the data file.</summary>
    private static T LoadModel<T>(string path, string? dataPath, Func<DensityModel, DensityData, T> bind)
    {
        var model = FileModels.Parse(path, DensityModel.Parse);
        if (dataPath is null && model.DataNames.Count > 0)
            throw new UsageException($"{path} declares data ({string.Join(", ", model.DataNames)}); give them with --data FILE.json or FILE.csv.");
        DensityData data;
        try
        {
            data = dataPath is null ? new DensityData("no data") : DensityData.Read(dataPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"cannot read data file '{dataPath}': no such file.");
        }
        try
        {
            return bind(model, data);
        }
        catch (ModelParseException e)
        {
            throw FileModels.Located(path, e);
        }
    }

    /// <summary>
    /// --check-gradient: at each chain's initial point (as the sampler would draw it), the gradient against central
    /// differences; prints one line per chain and the worst component by name; exit 0 when within tolerance, else 1.
    /// </summary>
    private static int CheckGradient<T>(T target, McmcOptions options, TextWriter stdout) where T : struct, ILogDensity
    {
        int d = target.Dimension;
        var names = options.ParameterNames ?? [.. Enumerable.Range(1, d).Select(i => $"x[{i}]")];
        var points = Sampling.Mcmc.InitialPoints(target, options);
        var worst = new GradientCheckResult(-1, double.NaN, double.NaN, -1);
        int worstChain = 0;
        for (int c = 0; c < options.Chains; c++)
        {
            var r = GradientCheck.Compare(target, points.AsSpan(c * d, d));
            stdout.WriteLine($"chain {c + 1}: worst component {names[r.Component]}: gradient {F(r.Analytic, "G10")}, finite difference {F(r.FiniteDifference, "G10")}, relative error {F(r.RelativeError, "E2")}");
            if (r.RelativeError > worst.RelativeError) (worst, worstChain) = (r, c);
        }
        bool ok = worst.RelativeError <= GradientTolerance;
        stdout.WriteLine($"gradient check {(ok ? "passed" : "FAILED")}: worst relative error {F(worst.RelativeError, "E2")} in {names[worst.Component]} (chain {worstChain + 1}; tolerance {F(GradientTolerance, "E0")}; unconstrained scale)");
        return ok ? CliApp.Ok : CliApp.Failed;
    }

    private static SamplerKind ParseSampler(string s) => s.ToLowerInvariant() switch
    {
        "nuts" => SamplerKind.Nuts, "hmc" => SamplerKind.Hmc, "mala" => SamplerKind.Mala, "rwm" => SamplerKind.Rwm, "ula" => SamplerKind.Ula,
        "obabo" => SamplerKind.Obabo, "ghmc" => SamplerKind.Ghmc, "ubu" => SamplerKind.Ubu, "maubu" => SamplerKind.MaUbu,
        _ => throw new UsageException($"--sampler '{s}': choose nuts, hmc, mala, rwm, ula, obabo, ghmc, ubu, maubu, smc, sgld, sghmc or cbo."),
    };

    private static MetricKind ParseMetric(string s) => s.ToLowerInvariant() switch
    {
        "unit" => MetricKind.Unit, "diag" or "diagonal" => MetricKind.Diagonal, "dense" => MetricKind.Dense,
        _ => throw new UsageException($"--metric '{s}': choose unit, diag or dense."),
    };

    private static IntegratorKind ParseIntegrator(string s) => s.ToLowerInvariant() switch
    {
        "leapfrog" or "verlet" => IntegratorKind.Leapfrog, "mclachlan" => IntegratorKind.McLachlan, "yoshida" => IntegratorKind.Yoshida,
        _ => throw new UsageException($"--integrator '{s}': choose leapfrog, mclachlan or yoshida."),
    };

    internal static string F(double x, string format = "G5") => double.IsNaN(x) ? "NaN" : x.ToString(format, CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter w, string name, McmcResult r, IReadOnlyList<ParameterSummary> summary, double seconds)
    {
        var o = r.Options;
        w.WriteLine($"{name}: {o.Sampler.ToString().ToUpperInvariant()}, {r.Chains} chains x {r.DrawsPerChain} draws after {o.Warmup} warm-up, metric {o.Metric}, seed {o.Seed}, {F(seconds, "F2")} s");
        WriteSummary(w, summary);
        w.WriteLine($"divergent {r.Divergences}, max tree depth hit {r.TreeDepthSaturations}, mean accept_stat {F(r.MeanAcceptStat, "F3")}, " +
            $"step sizes {string.Join(" ", Enumerable.Range(0, r.Chains).Select(c => F(r.Adaptation(c).StepSize, "G3")))}" +
            (o.Sampler is SamplerKind.Nuts or SamplerKind.Hmc ? $", E-BFMI {string.Join(" ", Enumerable.Range(0, r.Chains).Select(c => F(r.Ebfmi(c), "F2")))}" : ""));
    }

    /// <summary>The summary table's header and one row per parameter (Stan/ArviZ's columns).</summary>
    internal static void WriteSummary(TextWriter w, IReadOnlyList<ParameterSummary> summary)
    {
        int width = Math.Max(8, summary.Max(s => s.Name.Length) + 1);
        w.WriteLine($"{"param".PadRight(width)}{"mean",11}{"sd",11}{"q5",11}{"median",11}{"q95",11}{"mcse_mean",11}{"mcse_q5",11}{"mcse_q95",11}{"ess_bulk",10}{"ess_tail",10}{"rhat",8}");
        foreach (var s in summary)
            w.WriteLine($"{s.Name.PadRight(width)}{F(s.Mean),11}{F(s.StandardDeviation),11}{F(s.Q5),11}{F(s.Median),11}{F(s.Q95),11}{F(s.McseMean),11}{F(s.McseQ5),11}{F(s.McseQ95),11}{F(s.EssBulk, "F0"),10}{F(s.EssTail, "F0"),10}{F(s.Rhat, "F3"),8}");
    }

    /// <summary>Why a summary of independent runs has no R̂ column (one run: nothing to compare it with).</summary>
    internal const string RhatAbsent = "no rhat: R-hat compares independent runs and there is one; use --chains 2 or more";

    /// <summary>
    /// The summary table of independent weighted-particle runs (SMC, CBS; <see cref="WeightedRunSummary"/>): mean, sd,
    /// weighted quantiles, mcse_mean from the runs' spread, ess of the weighted particles, and R̂ across runs — with one
    /// run the R̂ column is left out and a line says why.
    /// </summary>
    internal static void WriteRunsSummary(TextWriter w, IReadOnlyList<WeightedRunSummary> summary, int runs)
    {
        int width = Math.Max(8, summary.Max(s => s.Name.Length) + 1);
        bool rhat = runs >= 2;
        w.WriteLine($"{"param".PadRight(width)}{"mean",11}{"sd",11}{"q5",11}{"median",11}{"q95",11}{"mcse_mean",11}{"ess",10}{(rhat ? $"{"rhat",8}" : "")}");
        foreach (var s in summary)
            w.WriteLine($"{s.Name.PadRight(width)}{F(s.Mean),11}{F(s.StandardDeviation),11}{F(s.Q5),11}{F(s.Median),11}{F(s.Q95),11}{F(s.McseMean),11}{F(s.Ess, "F0"),10}{(rhat ? $"{F(s.Rhat, "F3"),8}" : "")}");
        w.WriteLine("mcse_mean: spread of the runs' means / sqrt(runs); ess: Kish's 1/sum w^2 of the weighted particles, summed over runs;"
            + (rhat ? " rhat: Gelman-Rubin across runs with n = mean ess per run (docs/sampling.md)" : $" {RhatAbsent}"));
    }

    /// <summary>The JSON of <see cref="WriteRunsSummary"/>: <c>rhat_note</c> when there is one run, then <c>parameters</c>.</summary>
    internal static void WriteRunsJson(Utf8JsonWriter w, IReadOnlyList<WeightedRunSummary> summary, int runs)
    {
        if (runs < 2) w.WriteString("rhat_note", RhatAbsent);
        w.WriteStartArray("parameters");
        foreach (var s in summary)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            Number(w, "mean", s.Mean); Number(w, "sd", s.StandardDeviation);
            Number(w, "q5", s.Q5); Number(w, "median", s.Median); Number(w, "q95", s.Q95);
            Number(w, "mcse_mean", s.McseMean); Number(w, "ess", s.Ess); Number(w, "rhat", s.Rhat);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteJson(TextWriter stdout, string name, McmcResult r, IReadOnlyList<ParameterSummary> summary, IReadOnlyList<string> warnings, double seconds)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", name);
            w.WriteString("sampler", r.Options.Sampler.ToString().ToLowerInvariant());
            w.WriteNumber("chains", r.Chains);
            w.WriteNumber("warmup", r.Options.Warmup);
            w.WriteNumber("draws", r.DrawsPerChain);
            w.WriteNumber("seed", r.Options.Seed);
            w.WriteNumber("seconds", seconds);
            w.WriteNumber("divergent", r.Divergences);
            w.WriteNumber("treedepth_saturated", r.TreeDepthSaturations);
            Number(w, "mean_accept_stat", r.MeanAcceptStat);
            w.WriteStartArray("stepsize");
            for (int c = 0; c < r.Chains; c++) w.WriteNumberValue(r.Adaptation(c).StepSize);
            w.WriteEndArray();
            w.WriteStartArray("ebfmi");
            for (int c = 0; c < r.Chains; c++) { double e = r.Ebfmi(c); if (double.IsFinite(e)) w.WriteNumberValue(e); else w.WriteNullValue(); }
            w.WriteEndArray();
            w.WriteStartArray("parameters");
            foreach (var s in summary)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                Number(w, "mean", s.Mean); Number(w, "sd", s.StandardDeviation);
                Number(w, "q5", s.Q5); Number(w, "median", s.Median); Number(w, "q95", s.Q95);
                Number(w, "mcse_mean", s.McseMean); Number(w, "mcse_q5", s.McseQ5); Number(w, "mcse_q95", s.McseQ95);
                Number(w, "ess_bulk", s.EssBulk); Number(w, "ess_tail", s.EssTail); Number(w, "rhat", s.Rhat);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var x in warnings) w.WriteStringValue(x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    internal static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    /// <summary>One progress line per chain on stderr at every 10% (warm-up marked), serialised across chains.</summary>
    private sealed class ChainProgress(TextWriter stderr, int chains) : IProgress<McmcProgress>
    {
        private readonly Lock _gate = new();
        private readonly int[] _shown = new int[chains];

        public void Report(McmcProgress value)
        {
            int tenth = (int)(10L * value.Iteration / value.Total);
            lock (_gate)
            {
                if (tenth <= _shown[value.Chain]) return;
                _shown[value.Chain] = tenth;
                stderr.WriteLine($"chain {value.Chain + 1}: [{new string('#', tenth)}{new string('.', 10 - tenth)}] {value.Iteration}/{value.Total}{(value.Warmup ? " (warm-up)" : "")}");
            }
        }
    }
}
