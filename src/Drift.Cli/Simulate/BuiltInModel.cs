using Drift.Analysis;
using Drift.Models.Chaos;

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
    Func<IReadOnlyDictionary<string, double>, double[], double, SimulationRequest, SimulationResult> Solve)
{
    /// <summary>Family shown by <c>drift models</c>: stochastic, chaos, finance or file.</summary>
    public string Family { get; init; } = "stochastic";

    /// <summary>Longer description for <c>drift models NAME</c> (equations, noise, published invariants).</summary>
    public string? Details { get; init; }

    /// <summary>Lyapunov analysis of the deterministic part (null when the model has no Jacobian).</summary>
    public Func<IReadOnlyDictionary<string, double>, double[], LyapunovOptions, LyapunovSpectrum>? Lyapunov { get; init; }

    /// <summary>The deterministic solve of <c>drift solve</c> (the drift as an ODE), or null when the model has no such form.</summary>
    public Func<IReadOnlyDictionary<string, double>, double[], double, OdeRequest, OdeResult>? Ode { get; init; }

    /// <summary>Indices of components that must start non-negative (a CIR rate, a Heston variance); <c>--x0</c> refuses negative values there.</summary>
    public int[] NonNegative { get; init; } = [];

    /// <summary>The catalogue entry behind a chaotic flow, or null.</summary>
    public ChaoticSystem? Chaos { get; init; }
}
