using System.Globalization;
using Drift.Cli.Arguments;
using Drift.Models;
using Drift.Models.Chaos;
using Drift.Solve;

namespace Drift.Cli.Simulate;

/// <summary>The built-in models of <c>drift simulate</c>: three stochastic models, the finance and physics catalogue (<see cref="CatalogueModels"/>) and the chaos catalogue.</summary>
public static class BuiltInModels
{
    /// <summary>Every built-in model.</summary>
    public static readonly IReadOnlyList<BuiltInModel> All = [.. Stochastic(), .. CatalogueModels.All, .. ChaosCatalogue.All.Select(FromCatalogue)];

    private static BuiltInModel[] Stochastic() =>
    [
        new("gbm", "dX = mu X dt + sigma X dW (geometric Brownian motion, Ito)", "Black & Scholes (1973); Merton (1973)",
            ["x"], [1.0], [("mu", 0.05), ("sigma", 0.2)], "euler", 1.0,
            (p, x0, t1, request) =>
            {
                var m = new GeometricBrownianMotion(p["mu"], p["sigma"]);
                return SolverDispatch.Solve(new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(m, m, x0, 0, t1), request);
            }),
        new("ou", "dX = theta (mu - X) dt + sigma dW (Ornstein-Uhlenbeck / Vasicek, additive noise)", "Uhlenbeck & Ornstein (1930); Vasicek (1977)",
            ["x"], [1.0], [("theta", 1.0), ("mu", 0.0), ("sigma", 0.5)], "sra1", 1.0,
            (p, x0, t1, request) =>
            {
                var m = new OrnsteinUhlenbeck(p["theta"], p["mu"], p["sigma"]);
                return SolverDispatch.Solve(new SdeProblem<OrnsteinUhlenbeck, OrnsteinUhlenbeck>(m, m, x0, 0, t1), request);
            }),
        new("lorenz", "dx = s(y - x) dt + e dW1, dy = (x(r - z) - y) dt + e dW2, dz = (xy - b z) dt + e dW3 (stochastic Lorenz-63)", "Lorenz (1963)",
            ["x", "y", "z"], [1.0, 1.0, 20.0], [("sigma", 10.0), ("rho", 28.0), ("beta", 8.0 / 3.0), ("noise", 1.0)], "euler", 10.0,
            (p, x0, t1, request) =>
            {
                var m = new StochasticLorenz(p["sigma"], p["rho"], p["beta"], p["noise"]);
                return SolverDispatch.Solve(new SdeProblem<StochasticLorenz, StochasticLorenz>(m, m, x0, 0, t1), request);
            })
        {
            Ode = (p, x0, t1, request) =>
            {
                if (p["noise"] != 0 && !request.IgnoreNoise)
                    throw new UsageException($"lorenz has noise = {p["noise"]}; give --param noise=0 or --ignore-noise to solve its drift.");
                return OdeDispatch.Solve(new OdeProblem<StochasticLorenz>(new StochasticLorenz(p["sigma"], p["rho"], p["beta"], 0), x0, 0, t1), request);
            },
        },
    ];

    /// <summary>The model called <paramref name="name"/> (exact, else case-insensitive with '-' and '_' ignored).</summary>
    /// <exception cref="UsageException">No model has that name.</exception>
    public static BuiltInModel Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Key(name);
        if (Directory.Exists(name)) throw new UsageException($"'{name}' is a directory, not a model file or a built-in model name.");
        return All.FirstOrDefault(m => m.Name == name) ?? All.FirstOrDefault(m => Key(m.Name) == key)
            ?? throw new UsageException($"unknown model '{name}'; run 'drift models' for the list (built-in: {string.Join(", ", All.Where(m => m.Family != "chaos").Select(m => m.Name))}, and {All.Count(m => m.Family == "chaos")} chaotic flows).");
    }

    /// <summary>A model with a Jacobian, for Lyapunov analysis: 'lorenz' means the catalogue's Lorenz flow here.</summary>
    /// <exception cref="UsageException">No such model, or it has no Jacobian.</exception>
    public static BuiltInModel FindWithJacobian(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ChaosCatalogue.TryFind(name) is { } flow) return FromCatalogue(flow);
        var model = Find(name);
        return model.Lyapunov is not null ? model
            : throw new UsageException($"model '{model.Name}' has no Jacobian for Lyapunov analysis; use a chaotic flow (see 'drift models') or a .drift file.");
    }

    private static string Key(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static BuiltInModel FromCatalogue(ChaoticSystem s)
    {
        string[] components = s.Dimension <= 3 ? new[] { "x", "y", "z" }[..s.Dimension] : [.. Enumerable.Range(1, s.Dimension).Select(i => $"x{i}")];
        var parameters = s.ParameterNames.Zip(s.DefaultParameters, (n, v) => (n, v)).Append(("noise", 0.0)).ToArray();
        double[] Values(IReadOnlyDictionary<string, double> p) => [.. s.ParameterNames.Select(n => p[n])];
        string name = s.Name.ToLowerInvariant();
        if (name == "lorenz") name = "lorenz63";
        string G(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
        string details = string.Join(Environment.NewLine,
            $"{name} ({s.Name}) — {s.Description}",
            $"  equations   {s.Equations}{(s.Dimension > 3 ? $" ({s.Dimension} components)" : "")}",
            "  noise       additive: dx_i += noise dW_i on every component (noise = 0 gives the deterministic flow)",
            $"  parameters  {string.Join(", ", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1} = {p.Item2:G6}")))}",
            $"  x0          ({G(s.InitialState)})",
            string.Create(CultureInfo.InvariantCulture, $"  published   maximal Lyapunov exponent {s.PublishedMaximalLyapunov:G4}; spectrum ({G(s.PublishedSpectrum)}); Kaplan-Yorke dimension {s.PublishedKaplanYorke:G4}; period {s.Period:G4} (dysts, Gilpin 2021)"),
            $"  reference   {s.Citation}",
            string.Create(CultureInfo.InvariantCulture, $"  suggested   --dt {s.SuggestedStep:G3}, solver sra1; 'drift lyapunov {name}' for the spectrum"));
        return new BuiltInModel(name, s.Equations, s.Citation, components, [.. s.InitialState], parameters, "sra1", Math.Round(10 * s.Period, 2),
            (p, x0, t1, request) =>
            {
                var flow = s.Flow(Values(p), p["noise"]);
                return SolverDispatch.Solve(new SdeProblem<ChaoticFlow, ChaoticFlow>(flow, flow, x0, 0, t1), request);
            })
        {
            Family = "chaos",
            Details = details,
            Chaos = s,
            Lyapunov = (p, x0, options) => Analysis.Lyapunov.Spectrum(s.Flow(Values(p)), x0, options),
            Ode = (p, x0, t1, request) =>
            {
                if (p["noise"] != 0 && !request.IgnoreNoise)
                    throw new UsageException($"{name} has noise = {p["noise"]}; give --param noise=0 or --ignore-noise to solve its drift.");
                return OdeDispatch.Solve(new OdeProblem<ChaoticFlow>(s.Flow(Values(p)), x0, 0, t1), request);
            },
        };
    }

    /// <summary>Prints one line per model.</summary>
    public static int List(TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        foreach (var m in All)
            stdout.WriteLine($"{m.Name,-20} {m.Family,-10} {m.Summary}; parameters {string.Join(", ", m.Parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value:G6}")))}");
        return CliApp.Ok;
    }

    /// <summary>Prints the full description of one model.</summary>
    public static int Describe(string name, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(name);
        var m = FileModels.IsFile(name) ? FileModels.Load(name) : Find(name);
        stdout.WriteLine(m.Details ?? string.Join(Environment.NewLine,
            $"{m.Name} — {m.Summary}",
            $"  components  {string.Join(", ", m.Components)}",
            $"  parameters  {string.Join(", ", m.Parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} = {p.Value:G6}")))}",
            $"  x0          ({string.Join(", ", m.InitialState.Select(v => v.ToString(CultureInfo.InvariantCulture)))})",
            string.Create(CultureInfo.InvariantCulture, $"  default     solver {m.DefaultSolver}, t1 = {m.DefaultT1:G6}"),
            $"  reference   {m.Reference}"));
        return CliApp.Ok;
    }
}
