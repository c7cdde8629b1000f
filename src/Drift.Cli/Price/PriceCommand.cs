using System.Globalization;
using System.Text.Json;
using Drift.Brownian.Construction;
using Drift.Cli.Arguments;
using Drift.Cli.Merge;
using Drift.Ensembles.Multilevel;
using Drift.Models.Finance;
using Drift.Solve;

namespace Drift.Cli.Price;

/// <summary>
/// <c>drift price</c>: a European (or, under Black–Scholes, Asian) option by Monte Carlo, randomised quasi-Monte Carlo or
/// multilevel Monte Carlo, next to its closed-form or semi-analytic price.
/// </summary>
public static class PriceCommand
{
    /// <summary>The option model of <c>drift price</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["price"],
        """
        usage: drift price [bs|heston] [options]    European option by Monte Carlo, checked against the exact price
        """,
        [
            OptionSpec.Real("strike", "K", "strike", "100"),
            OptionSpec.Real("maturity", "T", "years", "1"),
            OptionSpec.Flag("put", "price a put (default: call)"),
            OptionSpec.Real("s0", "S", "spot", "100"),
            OptionSpec.Real("rate", "R", "risk-free rate", "0.03"),
            OptionSpec.Real("sigma", "V", "Black-Scholes volatility", "0.2"),
            OptionSpec.Real("v0", "V", "Heston initial variance", "0.04"),
            OptionSpec.Real("kappa", "K", "Heston mean-reversion rate", "1.5"),
            OptionSpec.Real("theta", "T", "Heston long-run variance", "0.04"),
            OptionSpec.Real("xi", "X", "Heston volatility of variance", "0.5"),
            OptionSpec.Real("rho", "R", "Heston correlation", "-0.7"),
            OptionSpec.Integer("paths", "paths (antithetic pairs count two)", "100000"),
            OptionSpec.Flag("no-antithetic", "plain Monte Carlo"),
            OptionSpec.Real("target-se", "E", "double the paths until the standard error is at most E"),
            OptionSpec.Integer("max-paths", "cap for --target-se", "1e8"),
            OptionSpec.Integer("steps", "full-truncation Euler steps for Heston", "200"),
            OptionSpec.Seed(),
            OptionSpec.Threads(),
            OptionSpec.Json("print the result as JSON"),
            .. ShardArguments.Options("(mc, european) samples [floor(iS/N), floor((i+1)S/N)) of the S samples\n"
                + "(paths, or antithetic pairs) of the --paths run, with the random numbers they get unsharded",
                "write the shard's mergeable sample moments for 'drift merge' (docs/scale-out.md)"),
            OptionSpec.Choice("method", "mc: Monte Carlo; qmc: scrambled Sobol' points (Joe-Kuo) with a path\n"
                + "construction, error from independent scrambles; mlmc: Giles' multilevel Monte Carlo\n"
                + "(European). qmc prices the bs model, mlmc bs or heston", "mc", "mc", "qmc", "mlmc"),
            OptionSpec.Choice("payoff", "(bs; asian = arithmetic average over --dates dates)", "european", "european", "asian", "geometric-asian"),
            OptionSpec.Integer("dates", "monitoring dates for asian payoffs (european uses 1)", "16"),
            OptionSpec.Choice("construction", "qmc path construction", "bridge", "bridge", "pca", "incremental"),
            OptionSpec.Integer("randomizations", "independent scrambles (qmc); --paths is the total over them", "16", "R"),
            OptionSpec.Flag("control-variate", "arithmetic asian: the geometric asian's closed form as control variate"),
            OptionSpec.Choice("scheme", "mlmc coupling (heston: euler only,\n"
                + "full truncation on (ln S, v), coarsest grid with kappa*h <= 1/2, alpha = 1)", "milstein", "euler", "milstein"),
        ])
    {
        Summary = "option prices by Monte Carlo, quasi-Monte Carlo or MLMC against the exact price",
        Positional = () => ["bs", "heston"],
        Notes = """
            For mlmc, --target-se E (default 0.01) sets the RMSE target eps = E / sqrt(0.75): the variance
            gets 0.75 eps^2 = E^2 and the squared bias at most 0.25 eps^2.

            The exact price is Black-Scholes' formula, the geometric Asian's closed form (Kemna-Vorst), or Heston's
            characteristic-function integral in the "little Heston trap" form (Albrecher et al. 2007);
            z = (estimate - exact) / standard error. The arithmetic Asian has no exact price (exact and z are null).
            |z| > 5 draws a warning on stderr (an unbiased estimate is that far with probability below 1e-6); for
            heston by mc it names the cause, the discretisation bias of full-truncation Euler at --steps, which more
            paths do not remove (e.g. --xi 10 at 200 steps: z near 20).
            JSON: price, standardError (the method's error estimate), pathSteps (path steps simulated over all levels
            and randomisations) and, for mlmc, the per-level table "levels".
            A result that is not a finite number (the price, its standard error, the exact price or z, e.g. at
            --maturity 1e12 or --sigma 50, where the inputs overflow double precision or every path pays the same)
            is a failure: exit 3 with the reason on stderr. In JSON such a number is written as null, the object
            "nonFinite" maps its name to "NaN", "Infinity" or "-Infinity", "status" is "failure" and "reason" says
            why; a finite run has "status": "success".
            """,
    };

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    /// <summary>Runs the command; with <paramref name="merged"/> (from <c>drift merge</c> of shard states) that estimate is reported instead of a new one.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, PriceEstimate? merged)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count > 1) throw new UsageException("price takes one model: bs or heston.");
        string model = a.Positional.Count == 1 ? a.Positional[0] : "bs";
        if (model is not ("bs" or "black-scholes" or "heston")) throw new UsageException($"unknown pricing model '{model}'; choose bs or heston.");
        bool heston = model == "heston";
        double strike = a.Real("strike") ?? 100, maturity = a.Real("maturity") ?? 1, spot = a.Real("s0") ?? 100, rate = a.Real("rate") ?? 0.03;
        var kind = a.Flag("put") ? OptionKind.Put : OptionKind.Call;
        string method = a.String("method") ?? "mc";
        if (method is not ("mc" or "qmc" or "mlmc")) throw new UsageException($"unknown --method '{method}'; choose mc, qmc or mlmc.");
        string payoffName = a.String("payoff") ?? "european";
        var payoff = payoffName switch
        {
            "european" => PathPayoff.European,
            "asian" => PathPayoff.ArithmeticAsian,
            "geometric-asian" => PathPayoff.GeometricAsian,
            _ => throw new UsageException($"unknown --payoff '{payoffName}'; choose european, asian or geometric-asian."),
        };
        if (heston && (method == "qmc" || payoff != PathPayoff.European))
            throw new UsageException("heston is priced by --method mc or mlmc with a european payoff; qmc and asian payoffs take the bs model.");
        if (method == "mlmc" && payoff != PathPayoff.European) throw new UsageException("--method mlmc prices the european payoff.");
        var options = new MonteCarloOptions
        {
            Paths = a.Integer("paths", 2, 1L << 40) ?? 100_000,
            Antithetic = !a.Flag("no-antithetic"),
            TargetStandardError = a.Positive("target-se"),
            MaxPaths = a.Integer("max-paths", 2, 1L << 40) ?? 100_000_000,
            Steps = (int)(a.Integer("steps", 1, 1_000_000) ?? 200),
            Seed = a.Seed() ?? 1,
            Threads = (int)(a.Integer("threads", 1, 1024) ?? 0),
        };
        if (options.MaxPaths < options.Paths) options = options with { MaxPaths = options.Paths };
        double sigma = 0;
        HestonParameters? parameters = null;
        if (heston)
        {
            var d = HestonParameters.Example;
            parameters = new HestonParameters(spot, a.Real("v0") ?? d.Variance, rate, a.Real("kappa") ?? d.Kappa, a.Real("theta") ?? d.Theta, a.Real("xi") ?? d.Xi, a.Real("rho") ?? d.Rho);
        }
        else sigma = a.Real("sigma") ?? 0.2;
        bool json = a.Flag("json");
        var shard = ShardArguments.Read(a, options.Paths);
        if (shard.Shard is not null && (method != "mc" || payoff != PathPayoff.European))
            throw new UsageException("--shard and --state take --method mc with the european payoff.");
        if (shard.Shard is not null && options.TargetStandardError is not null)
            throw new UsageException("--shard and --state run a fixed --paths; they cannot be combined with --target-se.");
        options = options with { Shard = shard.Shard, CancellationToken = Runs.RunContext.Token };
        if (method != "mc" || payoff != PathPayoff.European)
            return RunPath(a, method, payoff, parameters, spot, strike, maturity, rate, sigma, kind, options, json, stdout, stderr);
        a.RejectUnknown();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PriceEstimate estimate;
        double exact;
        if (parameters is not null)
        {
            // The semi-analytic price first: it refuses |ρ| = 1 before any paths are spent.
            exact = kind == OptionKind.Call ? HestonAnalytic.Call(parameters, strike, maturity) : HestonAnalytic.Put(parameters, strike, maturity);
            estimate = merged ?? EuropeanMonteCarlo.Heston(parameters, strike, maturity, kind, options);
        }
        else
        {
            estimate = merged ?? EuropeanMonteCarlo.BlackScholes(spot, strike, maturity, rate, sigma, kind, options);
            exact = kind == OptionKind.Call ? BlackScholes.Call(spot, strike, maturity, rate, sigma) : BlackScholes.Put(spot, strike, maturity, rate, sigma);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double z = ZScore(estimate.Price, exact, estimate.StandardError);
        string name = heston ? "heston" : "bs", option = kind == OptionKind.Call ? "call" : "put";
        var check = new FiniteCheck(estimate.StandardError);
        check.Add("price", estimate.Price);
        check.Add("standardError", estimate.StandardError);
        check.Add("exact", exact);
        check.Add("z", z);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("model", name);
                w.WriteString("option", option);
                w.WriteNumber("strike", strike);
                w.WriteNumber("maturity", maturity);
                w.WriteString("method", "mc");
                w.WriteString("payoff", "european");
                check.Write(w, "price", estimate.Price);
                check.Write(w, "standardError", estimate.StandardError);
                w.WriteNumber("paths", estimate.Paths);
                w.WriteNumber("pathSteps", estimate.Paths * (heston ? options.Steps : 1));
                w.WriteBoolean("antithetic", options.Antithetic);
                w.WriteBoolean("reachedTarget", estimate.ReachedTarget);
                check.Write(w, "exact", exact);
                check.Write(w, "z", z);
                w.WriteNumber("seconds", seconds);
                check.WriteStatus(w);
                w.WriteEndObject();
            }
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {option} K={strike:G6} T={maturity:G6}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"monte carlo  {estimate.Price:F6} ± {estimate.StandardError:F6} ({estimate.Paths} paths{(options.Antithetic ? ", antithetic" : "")})"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact        {exact:F6} ({(heston ? "Heston characteristic function" : "Black-Scholes formula")})"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"z            {z:F2} standard errors"));
        }
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drift: {name} {option}: {estimate.Paths} paths in {seconds:F2} s"));
        if (!estimate.ReachedTarget)
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drift: standard error {estimate.StandardError:G3} is above --target-se after --max-paths {options.MaxPaths}"));
        WarnIfBiased(stderr, z, heston ? options.Steps : null);
        if (shard is { Shard: { } part, StateFile: { } stateFile })
        {
            new PriceState(Runs.Invocation.Version, ShardArguments.Canonical("price", [model], a), part.Index, part.Count, estimate.Paths, estimate.Samples).Write(stateFile);
            stderr.WriteLine($"drift: wrote shard {part} ({estimate.Paths} of the run's paths) to {stateFile}");
        }
        return NotConverged(check.Report(stderr), estimate.ReachedTarget);
    }

    /// <summary>qmc, mlmc, and mc for Asian payoffs (Black–Scholes); mlmc also for Heston (full-truncation Euler).</summary>
    private static int RunPath(ArgumentReader a, string method, PathPayoff payoff, HestonParameters? heston, double spot, double strike, double maturity, double rate, double sigma,
        OptionKind kind, MonteCarloOptions mc, bool json, TextWriter stdout, TextWriter stderr)
    {
        int dates = (int)(a.Integer("dates", 1, 4096) ?? (payoff == PathPayoff.European ? 1 : 16));
        string constructionName = a.String("construction") ?? (method == "mc" ? "incremental" : "bridge");
        var construction = constructionName switch
        {
            "bridge" => PathConstruction.BrownianBridge,
            "pca" => PathConstruction.PrincipalComponents,
            "incremental" => PathConstruction.Incremental,
            _ => throw new UsageException($"unknown --construction '{constructionName}'; choose bridge, pca or incremental."),
        };
        int randomizations = (int)(a.Integer("randomizations", 2, 1 << 16) ?? 16);
        bool controlVariate = a.Flag("control-variate");
        string schemeName = a.String("scheme") ?? (heston is null ? "milstein" : "euler");
        if (heston is not null && schemeName != "euler") throw new UsageException("heston mlmc uses the full-truncation euler coupling; --scheme milstein takes the bs model.");
        var scheme = schemeName switch
        {
            "euler" => MultilevelScheme.Euler,
            "milstein" => MultilevelScheme.Milstein,
            _ => throw new UsageException($"unknown --scheme '{schemeName}'; choose euler or milstein."),
        };
        a.RejectUnknown();
        string option = kind == OptionKind.Call ? "call" : "put", modelName = heston is null ? "bs" : "heston";
        string payoffName = payoff switch { PathPayoff.European => "european", PathPayoff.ArithmeticAsian => "asian", _ => "geometric-asian" };
        double? exact = heston is not null
            ? (kind == OptionKind.Call ? HestonAnalytic.Call(heston, strike, maturity) : HestonAnalytic.Put(heston, strike, maturity))
            : payoff switch
        {
            PathPayoff.European => kind == OptionKind.Call ? BlackScholes.Call(spot, strike, maturity, rate, sigma) : BlackScholes.Put(spot, strike, maturity, rate, sigma),
            PathPayoff.GeometricAsian => GeometricAsian.Price(spot, strike, maturity, rate, sigma, dates, kind),
            _ => null,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double price, se, pathSteps;
        bool reached;
        MultilevelResult? levels = null;
        PathPriceEstimate? path = null;
        if (method == "mlmc")
        {
            double target = mc.TargetStandardError ?? 0.01;
            const double theta = 0.25;
            var settings = new MultilevelOptions { CancellationToken = Runs.RunContext.Token, TargetRmse = target / Math.Sqrt(1 - theta), BiasShare = theta, Threads = mc.Threads };
            try
            {
                levels = heston is not null
                    // Euler's weak order α = 1 pinned: Heston's fine-level means sit at the noise, and an α fitted to them misplaces L.
                    ? MultilevelMonteCarlo.Estimate(new HestonMultilevel(heston, strike, maturity, kind, mc.Seed), settings with { Alpha = 1 })
                    : MultilevelMonteCarlo.Estimate(new GbmMultilevel(spot, strike, maturity, rate, sigma, kind, scheme, mc.Seed), settings);
            }
            catch (ArithmeticException e)
            {
                // The multilevel estimator refuses a non-finite sample itself: the same failure as a non-finite price.
                string reason = $"non-finite result: {e.Message} The parameters are beyond what double precision resolves (maturity, rate, volatility or Heston parameters too large?)";
                if (json)
                {
                    using var stream = new MemoryStream();
                    using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                    {
                        w.WriteStartObject();
                        w.WriteString("model", heston is null ? "bs" : "heston");
                        w.WriteString("method", method);
                        w.WriteNull("price");
                        w.WriteString("status", "failure");
                        w.WriteString("reason", reason);
                        w.WriteStartObject("nonFinite");
                        w.WriteString("price", "NaN");
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
                }
                stderr.WriteLine($"drift: {reason}");
                return CliApp.Diverged;
            }
            (price, se, pathSteps, reached) = (levels.Price, levels.StandardError, levels.PathSteps, levels.Status == SolveStatus.Success);
        }
        else
        {
            long perRandomization = 1;
            while (perRandomization * randomizations < mc.Paths) perRandomization *= 2;
            long maxPer = Math.Max(perRandomization, Math.Min(SobolCap, mc.MaxPaths / randomizations));
            path = GbmPathPricing.Price(spot, strike, maturity, rate, sigma, kind, payoff, new PathPricingOptions
            {
                Method = method == "qmc" ? SamplingMethod.QuasiMonteCarlo : SamplingMethod.MonteCarlo,
                Construction = construction, Dates = dates, Paths = perRandomization, Randomizations = randomizations,
                ControlVariate = controlVariate, TargetStandardError = mc.TargetStandardError, MaxPaths = maxPer, Seed = mc.Seed, Threads = mc.Threads,
            });
            (price, se, pathSteps, reached) = (path.Price, path.StandardError, path.PathSteps, path.ReachedTarget);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double? z = exact is { } x ? ZScore(price, x, se) : null;
        var check = new FiniteCheck(se);
        check.Add("price", price);
        check.Add("standardError", se);
        if (exact is { } ex) check.Add("exact", ex);
        if (z is { } zc) check.Add("z", zc);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("model", modelName);
                w.WriteString("option", option);
                w.WriteNumber("strike", strike);
                w.WriteNumber("maturity", maturity);
                w.WriteString("method", method);
                w.WriteString("payoff", payoffName);
                check.Write(w, "price", price);
                check.Write(w, "standardError", se);
                check.Write(w, "pathSteps", pathSteps);
                if (path is not null)
                {
                    w.WriteNumber("paths", path.PathsPerRandomization * path.Randomizations);
                    w.WriteNumber("randomizations", path.Randomizations);
                    w.WriteNumber("dates", dates);
                    if (method == "qmc") w.WriteString("construction", constructionName);
                    if (payoff == PathPayoff.ArithmeticAsian && controlVariate) check.Write(w, "controlVariateCoefficient", path.ControlVariateCoefficient);
                    w.WriteBoolean("reachedTarget", path.ReachedTarget);
                }
                if (levels is not null)
                {
                    w.WriteString("scheme", schemeName);
                    w.WriteNumber("targetRmse", (mc.TargetStandardError ?? 0.01) / Math.Sqrt(0.75));
                    check.Write(w, "biasEstimate", levels.BiasEstimate);
                    w.WriteNumber("monteCarloPathSteps", levels.MonteCarloPathSteps);
                    check.Write(w, "alpha", levels.Alpha);
                    check.Write(w, "beta", levels.Beta);
                    check.Write(w, "gamma", levels.Gamma);
                    w.WriteBoolean("converged", levels.Status == SolveStatus.Success);
                    w.WriteStartArray("levels");
                    foreach (var l in levels.Levels)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("level", l.Level);
                        w.WriteNumber("samples", l.Samples);
                        check.Write(w, "mean", l.Mean);
                        check.Write(w, "variance", l.Variance);
                        check.Write(w, "fineMean", l.FineMean);
                        check.Write(w, "fineVariance", l.FineVariance);
                        check.Write(w, "cost", l.Cost);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (exact is { } e) check.Write(w, "exact", e); else w.WriteNull("exact");
                if (z is { } zz) check.Write(w, "z", zz); else w.WriteNull("z");
                w.WriteNumber("seconds", seconds);
                check.WriteStatus(w);
                w.WriteEndObject();
            }
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{modelName} {payoffName} {option} K={strike:G6} T={maturity:G6}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method,-12} {price:F6} ± {se:F6} ({pathSteps:G6} path steps)"));
            if (levels is not null)
            {
                stdout.WriteLine("level  samples      mean(Y_l)     var(Y_l)      cost");
                foreach (var l in levels.Levels)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{l.Level,5}  {l.Samples,10}  {l.Mean,12:E4}  {l.Variance,12:E4}  {l.Cost,6:G4}"));
            }
            if (exact is { } e)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact        {e:F6} ({(heston is not null ? "Heston characteristic function" : payoff == PathPayoff.European ? "Black-Scholes formula" : "geometric Asian closed form")})"));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"z            {z:F2} standard errors"));
            }
        }
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drift: {modelName} {payoffName} {option} by {method}: {pathSteps:G6} path steps in {seconds:F2} s"));
        if (z is { } zw) WarnIfBiased(stderr, zw, null);
        if (!reached)
            stderr.WriteLine(method == "mlmc"
                ? "drift: multilevel Monte Carlo reached its finest level before the bias test passed"
                : string.Create(CultureInfo.InvariantCulture, $"drift: standard error {se:G3} is above --target-se after --max-paths"));
        return NotConverged(check.Report(stderr), reached);
    }

    /// <summary>Exit 3 (not converged, as ot and diffuse use it) when the accuracy target was missed, else <paramref name="code"/>.</summary>
    private static int NotConverged(int code, bool reachedTarget) => code == CliApp.Ok && !reachedTarget ? CliApp.Diverged : code;

    private const long SobolCap = 1L << 30;

    /// <summary>The |z| beyond which an estimate is called biased: P(|N(0,1)| &gt; 5) ≈ 5.7·10⁻⁷, so an unbiased run almost never warns.</summary>
    internal const double BiasWarningZ = 5;

    /// <summary>
    /// Warns on stderr when the estimate lies more than <see cref="BiasWarningZ"/> standard errors from the exact price:
    /// more than Monte Carlo error explains, so a bias that more paths do not remove. For Heston by Monte Carlo
    /// (<paramref name="hestonSteps"/> given) that is the weak-order-1 discretisation bias of full-truncation Euler,
    /// named with the remedy; the other methods sample exactly (or bound their bias, MLMC), so only the figure is given.
    /// </summary>
    private static void WarnIfBiased(TextWriter stderr, double z, int? hestonSteps)
    {
        if (!double.IsFinite(z) || Math.Abs(z) <= BiasWarningZ) return;
        string far = string.Create(CultureInfo.InvariantCulture, $"drift: warning: the estimate is {z:F1} standard errors from the exact price, more than Monte Carlo error explains");
        stderr.WriteLine(hestonSteps is { } steps
            ? string.Create(CultureInfo.InvariantCulture, $"{far}: it is the discretisation bias of full-truncation Euler at --steps {steps} (weak order 1, so more paths do not reduce it); raise --steps (the bias falls about in proportion to 1/steps) or use --method mlmc, which estimates and bounds the bias.")
            : $"{far} (an unbiased estimate is this far with probability below 10⁻⁶): check the parameters.");
    }

    /// <summary>z = (estimate − exact) / SE, taken as 0 when a zero standard error meets an exact match (0/0).</summary>
    private static double ZScore(double estimate, double exact, double standardError) =>
        standardError == 0 && estimate == exact ? 0 : (estimate - exact) / standardError;

    /// <summary>
    /// Collects the results that are not finite numbers: they make the run a failure (exit 3), are written to JSON
    /// as null with their value named in "nonFinite", and are reported on stderr with the reason.
    /// </summary>
    private sealed class FiniteCheck(double standardError)
    {
        private readonly List<(string Name, double Value)> _bad = [];

        /// <summary>Records <paramref name="value"/> under <paramref name="name"/> if it is NaN or infinite.</summary>
        public void Add(string name, double value)
        {
            if (!double.IsFinite(value) && !_bad.Exists(b => b.Name == name)) _bad.Add((name, value));
        }

        /// <summary>Writes a number, or null (recording it) when it is not finite.</summary>
        public void Write(Utf8JsonWriter w, string name, double value)
        {
            if (double.IsFinite(value)) { w.WriteNumber(name, value); return; }
            Add(name, value);
            w.WriteNull(name);
        }

        /// <summary>The reason line, or null when every recorded result is finite.</summary>
        private string? Reason()
        {
            if (_bad.Count == 0) return null;
            string names = string.Join(", ", _bad.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Name} = {Text(b.Value)}")));
            return standardError == 0
                ? $"non-finite result ({names}): every path paid the same (standard error 0), so the estimate cannot be compared with the exact price; the parameters are beyond what double precision resolves (maturity, rate or volatility too large?)"
                : $"non-finite result ({names}): the computation overflowed double precision at these parameters (maturity, rate, volatility or Heston parameters too large?)";
        }

        /// <summary>Writes "status", and for a failure "reason" and "nonFinite".</summary>
        public void WriteStatus(Utf8JsonWriter w)
        {
            w.WriteString("status", _bad.Count == 0 ? "success" : "failure");
            if (_bad.Count == 0) return;
            w.WriteString("reason", Reason());
            w.WriteStartObject("nonFinite");
            foreach (var (name, value) in _bad) w.WriteString(name, Text(value));
            w.WriteEndObject();
        }

        /// <summary>Exit code: <see cref="CliApp.Ok"/>, or <see cref="CliApp.Diverged"/> (3) after printing the reason.</summary>
        public int Report(TextWriter stderr)
        {
            if (Reason() is not { } reason) return CliApp.Ok;
            stderr.WriteLine($"drift: {reason}");
            return CliApp.Diverged;
        }

        private static string Text(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
}
