using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Jumps.Inference;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
using Drift.Random;
using Drift.Sampling;
using Drift.Sampling.Diagnostics;
using Drift.Sampling.Targets;

namespace Drift.Cli.Ssa;

/// <summary>
/// <c>drift ssa fit MODEL.rn --data OBS.csv</c>: stochastic rate constants of a network's mass-action reactions from
/// data — the closed-form maximum likelihood from full trajectories, the finite-state-projection likelihood fit from
/// sparse noisy observations, or (<c>--bayes</c>) the NUTS posterior of the log rates under log-normal priors.
/// </summary>
public static class SsaFitCommand
{
    /// <summary>The option model of <c>drift ssa fit</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["ssa", "fit"],
        """
        usage: drift ssa fit MODEL.rn|MODEL.xml --data OBS.csv [options]
          rate constants of the model's mass-action reactions from data (docs/jumps.md, "drift ssa fit")

        data (CSV with a header; rows of a run sorted by time; an optional 'run' column separates runs, each started
        from the model's initial counts):
          time,reaction[,run]          every firing, reaction = 0-based index in the model's reaction order; runs are
                                       observed on [0, --t1] (default: the last time in the file)
          time[,run],SPECIES...        without --noise: the counts at t = 0 and after every event (as written by
                                       drift ssa --every-event --output-paths); each run's window ends at its last row
          time[,run],SPECIES...        with --noise: sparse observations of some species at times t > 0 (rows at
                                       t = 0 are skipped)
        full paths give the closed-form MLE with profile-likelihood intervals; sparse observations the likelihood of
        the master equation on a finite state projection, maximised by Nelder-Mead, with Wald intervals on ln c.
        """,
        [
            OptionSpec.File("data", "FILE.csv", "the data (required)"),
            OptionSpec.Text("noise", "exact|gaussian:SIGMA|binomial:P", "sparse observations with this noise: exact counts, y = x + SIGMA*N(0,1),\n"
                + "or each molecule seen with probability P"),
            OptionSpec.Text("max-counts", "N1,N2,...", "projection box 0 <= x_i <= N_i per species, sparse data; required when a species is not\n"
                + "observed", "per observed species 2*(largest value, /P for binomial, +4 SIGMA for gaussian) + 10, at least\n"
                + "twice the initial count"),
            OptionSpec.Real("level", "L", "interval level of the MLE", "0.95"),
            OptionSpec.Real("t1", "T", "end of the observation window of time,reaction data"),
            OptionSpec.Flag("bayes", "NUTS posterior of ln c instead of the MLE: mean, sd, 5/50/95% quantiles of each\n"
                + "rate, MCSE, bulk/tail ESS and rank-normalised R-hat"),
            OptionSpec.Text("prior", "lognormal:MU,SIGMA", "prior of every fitted rate c: ln c ~ N(MU, SIGMA^2)", "lognormal:0,3"),
            OptionSpec.Integer("chains", "chains of --bayes", "4"),
            OptionSpec.Integer("warmup", "warm-up iterations per chain", "500"),
            OptionSpec.Integer("draws", "draws per chain", "500"),
            OptionSpec.Seed(),
            OptionSpec.Threads(),
            OptionSpec.Json("the result as JSON on stdout"),
        ])
    {
        Summary = "fit the rate constants of a reaction network to observed firings or counts",
    };

    /// <summary>Runs the command; warnings (R-hat, ESS, divergences, FSP loss) go to stderr.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1) throw new UsageException("ssa fit takes one model (MODEL.rn or MODEL.xml) and --data OBS.csv; try 'drift ssa fit --help'.");
        string modelPath = a.Positional[0];
        string data = a.String("data") ?? throw new UsageException("give the data with --data OBS.csv.");
        string? noiseText = a.String("noise");
        string? boxText = a.String("max-counts");
        double? levelGiven = a.Real("level");
        double level = levelGiven ?? 0.95;
        if (!(level > 0 && level < 1)) throw new UsageException($"--level must lie in (0, 1), got {level}.");
        double? t1 = a.Real("t1");
        if (t1 is { } end && (!(end > 0) || double.IsInfinity(end))) throw new UsageException($"--t1 must be positive and finite, got {end}.");
        bool bayes = a.Flag("bayes"), json = a.Flag("json");
        string? priorText = a.String("prior");
        bool samplerOptions = priorText is not null || a.String("chains") is not null || a.String("warmup") is not null || a.String("draws") is not null;
        var mcmc = new McmcOptions
        {
            CancellationToken = Runs.RunContext.Token,
            Chains = (int)(a.Integer("chains", 1, 1024) ?? 4),
            Warmup = (int)(a.Integer("warmup", 0, 10_000_000) ?? 500),
            Draws = (int)(a.Integer("draws", 1, 10_000_000) ?? 500),
            Seed = a.Seed() ?? 1,
            Threads = (int)(a.Integer("threads", 1, 1024) ?? 0),
        };
        a.RejectUnknown();
        if (!bayes && samplerOptions)
            throw new UsageException("--prior, --chains, --warmup and --draws go with --bayes.");
        if (bayes && levelGiven is not null) throw new UsageException("--level sets the MLE's intervals; --bayes reports 5/50/95% posterior quantiles.");
        if (noiseText is null && boxText is not null) throw new UsageException("--max-counts goes with sparse observations (--noise).");
        var (priorMean, priorSd) = ParsePrior(priorText ?? "lognormal:0,3");

        var network = SsaCommand.Load(modelPath);
        string name = Path.GetFileName(modelPath);
        var noise = noiseText is null ? null : ParseNoise(noiseText, out _);
        List<JumpTrajectory>? paths = null;
        List<Observations>? series = null;
        IReadOnlyList<long>? box = null;
        if (noise is null) paths = RateData.Trajectories(data, network, t1);
        else
        {
            if (t1 is not null) throw new UsageException("--t1 applies to event data; sparse observations end at their last time.");
            series = RateData.Sparse(data, network, allowNegative: noiseText!.StartsWith("gaussian", StringComparison.Ordinal));
            box = boxText is null ? DefaultBox(network, series, noiseText) : ParseBox(boxText, network);
        }
        string dataKind = paths is not null
            ? $"{paths.Count} full path{(paths.Count == 1 ? "" : "s")} ({paths.Sum(p => p.EventCount)} events)"
            : $"{series!.Count} run{(series.Count == 1 ? "" : "s")} of sparse observations ({series.Sum(s => s.Times.Count)} times, noise {noiseText})";

        try
        {
            if (!bayes)
            {
                var fit = paths is not null
                    ? RateInference.FromTrajectories(paths, level)
                    : RateInference.FromObservations(network, series!, noise!, new ObservationFitOptions { MaxCounts = box, Level = level });
                string method = paths is not null ? "closed form, profile-likelihood intervals" : "FSP likelihood, Nelder-Mead, Wald intervals on ln c";
                if (json) WriteJson(stdout, name, network, dataKind, method, fit, box);
                else WriteTable(stdout, name, network, dataKind, method, fit, box);
                if (!fit.Converged) stderr.WriteLine($"warning: the optimiser stopped after {fit.Evaluations} evaluations without meeting its tolerance.");
                if (fit.Truncation > 1e-6) stderr.WriteLine($"warning: the projection box loses up to {fit.Truncation:E1} of probability per interval; enlarge --max-counts.");
                return CliApp.Ok;
            }
            var likelihood = paths is not null
                ? RateLikelihood.FromTrajectories(paths)
                : RateLikelihood.FromObservations(network, series!, noise!, new ObservationFitOptions { MaxCounts = box });
            var names = likelihood.Reactions.Select(j => $"c{j}").ToArray();
            int d = likelihood.Dimension;
            // chains start near the likelihood's natural start (the MLE for full paths, the model's constants for sparse
            // data), spread by ±0.5 in ln c so that R-hat compares chains from different points
            var initial = new double[d * mcmc.Chains];
            for (int c = 0; c < mcmc.Chains; c++)
            {
                var draws = new StepDraws(SeedMixer.Derive(mcmc.Seed, 0x5353_4146_4954_494E), (ulong)c, 0); // "SSAFITIN"
                for (int k = 0; k < d; k++) initial[c * d + k] = likelihood.Start[k] + (draws.NextUniform() - 0.5);
            }
            var posterior = new RatePosterior(likelihood, priorMean, priorSd);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = RatePosterior.ToRates(Sampling.Mcmc.Sample(posterior, mcmc with { Initial = initial, ParameterNames = names }), names);
            double seconds = clock.Elapsed.TotalSeconds;
            var summary = run.Summary();
            var warnings = run.Warnings(summary);
            string sampler = $"NUTS, prior ln c ~ N({F(priorMean)}, {F(priorSd)}^2)" + (paths is null ? ", FSP likelihood, finite-difference gradient" : "");
            if (json) WriteBayesJson(stdout, name, network, dataKind, sampler, likelihood, run, summary, warnings, box, priorMean, priorSd, seconds);
            else WriteBayesTable(stdout, name, network, dataKind, sampler, likelihood, run, summary, box, seconds);
            foreach (var w in warnings) stderr.WriteLine($"warning: {w}");
            return CliApp.Ok;
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"{data}: {e.Message}");
        }
    }

    /// <summary>The text of reaction j: reactants -> products, with its model line.</summary>
    internal static string Describe(ReactionNetwork network, int j)
    {
        var r = network.Reactions[j];
        static string Side(ReactionNetwork n, IReadOnlyList<SpeciesCount> side) =>
            side.Count == 0 ? "0" : string.Join(" + ", side.Select(s => (s.Count == 1 ? "" : s.Count.ToString(CultureInfo.InvariantCulture)) + n.Species[s.Species]));
        return $"{Side(network, r.Reactants)} -> {Side(network, r.Products)}";
    }

    private static (double Mean, double Sd) ParsePrior(string text)
    {
        const string prefix = "lognormal:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal)) throw new UsageException($"--prior '{text}': the prior is lognormal:MU,SIGMA (ln c ~ N(MU, SIGMA^2)).");
        var parts = text[prefix.Length..].Split(',');
        if (parts.Length != 2) throw new UsageException($"--prior '{text}': give lognormal:MU,SIGMA.");
        double mu = ArgumentReader.ParseReal(parts[0], "--prior MU"), sigma = ArgumentReader.ParseReal(parts[1], "--prior SIGMA");
        if (!double.IsFinite(mu)) throw new UsageException($"--prior: MU must be finite, got {parts[0]}.");
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new UsageException($"--prior: SIGMA must be positive and finite, got {parts[1]}.");
        return (mu, sigma);
    }

    private static ObservationNoise ParseNoise(string text, out double parameter)
    {
        parameter = double.NaN;
        if (text == "exact") return ObservationNoise.Exact;
        int colon = text.IndexOf(':');
        string kind = colon < 0 ? text : text[..colon];
        if (kind is not ("gaussian" or "binomial")) throw new UsageException($"--noise '{text}': choose exact, gaussian:SIGMA or binomial:P.");
        if (colon < 0) throw new UsageException($"--noise {kind} needs its parameter: {kind}:{(kind == "gaussian" ? "SIGMA" : "P")}.");
        parameter = ArgumentReader.ParseReal(text[(colon + 1)..], $"--noise {kind}");
        if (kind == "gaussian")
        {
            if (!(parameter > 0) || !double.IsFinite(parameter)) throw new UsageException($"--noise gaussian:SIGMA needs SIGMA > 0, got {text[(colon + 1)..]}.");
            return ObservationNoise.Gaussian(parameter);
        }
        if (!(parameter > 0 && parameter <= 1)) throw new UsageException($"--noise binomial:P needs 0 < P <= 1, got {text[(colon + 1)..]}.");
        return ObservationNoise.Binomial(parameter);
    }

    private static long[] ParseBox(string text, ReactionNetwork network)
    {
        var parts = text.Split(',');
        if (parts.Length != network.SpeciesCount)
            throw new UsageException($"--max-counts has {parts.Length} values; the model has {network.SpeciesCount} species ({string.Join(", ", network.Species)}).");
        var box = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out box[i]) || box[i] < 0)
                throw new UsageException($"--max-counts: '{parts[i]}' for {network.Species[i]} is not a whole number >= 0.");
        return box;
    }

    /// <summary>Per observed species 2·(largest plausible count) + 10 and at least twice the initial count; an unobserved species needs --max-counts.</summary>
    private static long[] DefaultBox(ReactionNetwork network, List<Observations> series, string noise)
    {
        ParseNoise(noise, out double parameter);
        var box = new long[network.SpeciesCount];
        for (int i = 0; i < box.Length; i++)
        {
            double largest = -1;
            foreach (var s in series)
                for (int k = 0; k < s.Times.Count; k++)
                    for (int c = 0; c < s.Species.Count; c++)
                        if (s.Species[c] == i) largest = Math.Max(largest, s.Value(k, c));
            if (largest < 0 && !series.Any(s => s.Species.Contains(i)))
                throw new UsageException($"species {network.Species[i]} is not observed, so its projection bound is unknown; give --max-counts N1,...,N{box.Length} ({string.Join(", ", network.Species)}).");
            double plausible = noise.StartsWith("binomial", StringComparison.Ordinal) ? largest / parameter
                : noise.StartsWith("gaussian", StringComparison.Ordinal) ? largest + 4 * parameter : largest;
            box[i] = (long)Math.Max(Math.Ceiling(2 * Math.Max(plausible, 0) + 10), 2 * network.InitialCounts[i]);
        }
        return box;
    }

    private static string F(double x, string format = "G5") => double.IsNaN(x) ? "NaN" : x.ToString(format, CultureInfo.InvariantCulture);

    private static string Box(IReadOnlyList<long>? box) => box is null ? "" : $", box {string.Join(",", box)}";

    private static void WriteTable(TextWriter w, string name, ReactionNetwork network, string dataKind, string method, RateFit fit, IReadOnlyList<long>? box)
    {
        w.WriteLine($"{name}: {dataKind}; {method}{Box(box)}");
        w.WriteLine($"ln L = {F(fit.LogLikelihood, "G10")}, {fit.Evaluations} likelihood evaluation{(fit.Evaluations == 1 ? "" : "s")}" + (box is null ? "" : $", largest FSP loss per interval {F(fit.Truncation, "E1")}"));
        var labels = fit.Estimates.Select(e => Describe(network, e.Reaction)).ToArray();
        int width = Math.Max(12, labels.Max(l => l.Length) + 2);
        string percent = F(100 * fit.Level, "G4");
        w.WriteLine($"{"rate",-6}{"reaction".PadRight(width)}{"line",6}{"estimate",13}{"std.err.",13}{$"{percent}% lower",13}{$"{percent}% upper",13}");
        for (int k = 0; k < fit.Estimates.Count; k++)
        {
            var e = fit.Estimates[k];
            w.WriteLine($"{$"c{e.Reaction}",-6}{labels[k].PadRight(width)}{network.Reactions[e.Reaction].Line,6}{F(e.Estimate),13}{F(e.StandardError),13}{F(e.Lower),13}{F(e.Upper),13}");
        }
    }

    private static void WriteBayesTable(TextWriter w, string name, ReactionNetwork network, string dataKind, string method, RateLikelihood likelihood, McmcResult run, IReadOnlyList<ParameterSummary> summary, IReadOnlyList<long>? box, double seconds)
    {
        w.WriteLine($"{name}: {dataKind}; {method}{Box(box)}");
        w.WriteLine($"{run.Chains} chains x {run.DrawsPerChain} draws after {run.Options.Warmup} warm-up, seed {run.Options.Seed}, {F(seconds, "F2")} s; divergent {run.Divergences}, mean accept_stat {F(run.MeanAcceptStat, "F3")}");
        var labels = likelihood.Reactions.Select(j => Describe(network, j)).ToArray();
        int width = Math.Max(12, labels.Max(l => l.Length) + 2);
        w.WriteLine($"{"rate",-6}{"reaction".PadRight(width)}{"mean",11}{"sd",11}{"q5",11}{"median",11}{"q95",11}{"mcse_mean",11}{"ess_bulk",10}{"ess_tail",10}{"rhat",8}");
        for (int k = 0; k < summary.Count; k++)
        {
            var s = summary[k];
            w.WriteLine($"{s.Name,-6}{labels[k].PadRight(width)}{F(s.Mean),11}{F(s.StandardDeviation),11}{F(s.Q5),11}{F(s.Median),11}{F(s.Q95),11}{F(s.McseMean),11}{F(s.EssBulk, "F0"),10}{F(s.EssTail, "F0"),10}{F(s.Rhat, "F3"),8}");
        }
    }

    private static void Header(Utf8JsonWriter w, string name, string dataKind, string method, IReadOnlyList<long>? box)
    {
        w.WriteString("model", name);
        w.WriteString("data", dataKind);
        w.WriteString("method", method);
        if (box is not null)
        {
            w.WriteStartArray("maxCounts");
            foreach (long b in box) w.WriteNumberValue(b);
            w.WriteEndArray();
        }
    }

    private static void WriteJson(TextWriter stdout, string name, ReactionNetwork network, string dataKind, string method, RateFit fit, IReadOnlyList<long>? box)
    {
        Json(stdout, w =>
        {
            Header(w, name, dataKind, method, box);
            w.WriteNumber("level", fit.Level);
            Number(w, "logLikelihood", fit.LogLikelihood);
            w.WriteNumber("evaluations", fit.Evaluations);
            w.WriteBoolean("converged", fit.Converged);
            w.WriteNumber("truncation", fit.Truncation);
            w.WriteStartArray("rates");
            foreach (var e in fit.Estimates)
            {
                w.WriteStartObject();
                w.WriteString("name", $"c{e.Reaction}");
                w.WriteNumber("reaction", e.Reaction);
                w.WriteString("label", Describe(network, e.Reaction));
                w.WriteNumber("line", network.Reactions[e.Reaction].Line);
                Number(w, "estimate", e.Estimate); Number(w, "stderr", e.StandardError);
                Number(w, "lower", e.Lower); Number(w, "upper", e.Upper);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static void WriteBayesJson(TextWriter stdout, string name, ReactionNetwork network, string dataKind, string method, RateLikelihood likelihood, McmcResult run,
        IReadOnlyList<ParameterSummary> summary, IReadOnlyList<string> warnings, IReadOnlyList<long>? box, double priorMean, double priorSd, double seconds)
    {
        Json(stdout, w =>
        {
            Header(w, name, dataKind, method, box);
            w.WriteStartObject("prior");
            w.WriteString("kind", "lognormal");
            w.WriteNumber("mu", priorMean);
            w.WriteNumber("sigma", priorSd);
            w.WriteEndObject();
            w.WriteNumber("chains", run.Chains);
            w.WriteNumber("warmup", run.Options.Warmup);
            w.WriteNumber("draws", run.DrawsPerChain);
            w.WriteNumber("seed", run.Options.Seed);
            w.WriteNumber("seconds", seconds);
            w.WriteNumber("divergent", run.Divergences);
            Number(w, "mean_accept_stat", run.MeanAcceptStat);
            w.WriteStartArray("rates");
            for (int k = 0; k < summary.Count; k++)
            {
                var s = summary[k];
                int j = likelihood.Reactions[k];
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteNumber("reaction", j);
                w.WriteString("label", Describe(network, j));
                w.WriteNumber("line", network.Reactions[j].Line);
                Number(w, "mean", s.Mean); Number(w, "sd", s.StandardDeviation);
                Number(w, "q5", s.Q5); Number(w, "median", s.Median); Number(w, "q95", s.Q95);
                Number(w, "mcse_mean", s.McseMean); Number(w, "ess_bulk", s.EssBulk); Number(w, "ess_tail", s.EssTail); Number(w, "rhat", s.Rhat);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var x in warnings) w.WriteStringValue(x);
            w.WriteEndArray();
        });
    }

    private static void Json(TextWriter stdout, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
