using Drift.Cli.Arguments;
using Drift.Models;
using Drift.Solve;

namespace Drift.Cli.Simulate;

/// <summary>A model the CLI can simulate by name.</summary>
/// <param name="Name">Name on the command line.</param>
/// <param name="Summary">One line: the equation.</param>
/// <param name="Reference">Where the model comes from.</param>
/// <param name="Components">Names of the state components.</param>
/// <param name="InitialState">Default X0.</param>
/// <param name="Parameters">Parameter names and defaults, in order.</param>
/// <param name="DefaultSolver">Solver used when none is named.</param>
/// <param name="DefaultT1">End time used when none is given.</param>
/// <param name="Solve">Builds the problem from parameters, X0 and t1, and solves it as requested.</param>
public sealed record BuiltInModel(
    string Name,
    string Summary,
    string Reference,
    string[] Components,
    double[] InitialState,
    (string Name, double Value)[] Parameters,
    string DefaultSolver,
    double DefaultT1,
    Func<IReadOnlyDictionary<string, double>, double[], double, SimulationRequest, SimulationResult> Solve);

/// <summary>The built-in models of <c>drift simulate</c>.</summary>
public static class BuiltInModels
{
    /// <summary>Every built-in model.</summary>
    public static readonly IReadOnlyList<BuiltInModel> All =
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
            }),
    ];

    /// <summary>The model called <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No model has that name.</exception>
    public static BuiltInModel Find(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new UsageException($"unknown model '{name}'; built-in models: {string.Join(", ", All.Select(m => m.Name))}.");

    /// <summary>Prints one line per model.</summary>
    public static int List(TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        foreach (var m in All)
            stdout.WriteLine($"{m.Name,-8} {m.Summary}; parameters {string.Join(", ", m.Parameters.Select(p => $"{p.Name}={p.Value:G6}"))}; x0 = ({string.Join(", ", m.InitialState)})");
        return CliApp.Ok;
    }
}
