using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Models.Finance;

namespace Drift.Cli.Price;

/// <summary><c>drift price</c>: a European option by Monte Carlo next to its closed-form or semi-analytic price.</summary>
public static class PriceCommand
{
    private const string Help = """
        usage: drift price [bs|heston] [options]    European option by Monte Carlo, checked against the exact price

          --strike K           strike (default 100)
          --maturity T         years (default 1)
          --put                price a put (default: call)
          --s0 S  --rate R     spot (default 100), risk-free rate (default 0.03)
          --sigma V            Black-Scholes volatility (default 0.2)
          --v0 --kappa --theta --xi --rho    Heston parameters (default 0.04, 1.5, 0.04, 0.5, -0.7)
          --paths N            paths (default 100000; antithetic pairs count two)
          --no-antithetic      plain Monte Carlo
          --target-se E        double the paths until the standard error is at most E
          --max-paths N        cap for --target-se (default 1e8)
          --steps N            full-truncation Euler steps for Heston (default 200)
          --seed S --threads N --json

        The exact price is Black-Scholes' formula, or Heston's characteristic-function integral in the
        "little Heston trap" form (Albrecher et al. 2007); z = (MC - exact) / standard error.
        """;

    private static readonly HashSet<string> Flags = ["json", "put", "no-antithetic", "help"];

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = new ArgumentReader(args, Flags);
        if (a.Flag("help"))
        {
            stdout.WriteLine(Help);
            return CliApp.Ok;
        }
        if (a.Positional.Count > 1) throw new UsageException("price takes one model: bs or heston.");
        string model = a.Positional.Count == 1 ? a.Positional[0] : "bs";
        if (model is not ("bs" or "black-scholes" or "heston")) throw new UsageException($"unknown pricing model '{model}'; choose bs or heston.");
        bool heston = model == "heston";
        double strike = a.Real("strike") ?? 100, maturity = a.Real("maturity") ?? 1, spot = a.Real("s0") ?? 100, rate = a.Real("rate") ?? 0.03;
        var kind = a.Flag("put") ? OptionKind.Put : OptionKind.Call;
        var options = new MonteCarloOptions
        {
            Paths = a.Integer("paths", 2, 1L << 40) ?? 100_000,
            Antithetic = !a.Flag("no-antithetic"),
            TargetStandardError = a.Real("target-se"),
            MaxPaths = a.Integer("max-paths", 2, 1L << 40) ?? 100_000_000,
            Steps = (int)(a.Integer("steps", 1, 1_000_000) ?? 200),
            Seed = (ulong)(a.Integer("seed", 0, long.MaxValue) ?? 1),
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
        a.RejectUnknown();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PriceEstimate estimate;
        double exact;
        if (parameters is not null)
        {
            // The semi-analytic price first: it refuses |ρ| = 1 before any paths are spent.
            exact = kind == OptionKind.Call ? HestonAnalytic.Call(parameters, strike, maturity) : HestonAnalytic.Put(parameters, strike, maturity);
            estimate = EuropeanMonteCarlo.Heston(parameters, strike, maturity, kind, options);
        }
        else
        {
            estimate = EuropeanMonteCarlo.BlackScholes(spot, strike, maturity, rate, sigma, kind, options);
            exact = kind == OptionKind.Call ? BlackScholes.Call(spot, strike, maturity, rate, sigma) : BlackScholes.Put(spot, strike, maturity, rate, sigma);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double z = (estimate.Price - exact) / estimate.StandardError;
        string name = heston ? "heston" : "bs", option = kind == OptionKind.Call ? "call" : "put";
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
                w.WriteNumber("price", estimate.Price);
                w.WriteNumber("standardError", estimate.StandardError);
                w.WriteNumber("paths", estimate.Paths);
                w.WriteBoolean("antithetic", options.Antithetic);
                w.WriteBoolean("reachedTarget", estimate.ReachedTarget);
                w.WriteNumber("exact", exact);
                w.WriteNumber("z", z);
                w.WriteNumber("seconds", seconds);
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
        return CliApp.Ok;
    }
}
