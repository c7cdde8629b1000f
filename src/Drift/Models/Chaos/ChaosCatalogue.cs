using Drift.Models.Chaos.Flows;

namespace Drift.Models.Chaos;

/// <summary>
/// The catalogue of deterministic chaotic flows: 52 systems of the dysts collection (Gilpin 2021) —
/// Lorenz, Rössler, Chen, Lü–Chen, Chua, Duffing, Thomas, Halvorsen, Aizawa, Sprott A–S, Lorenz-96 and
/// more — each with its published parameters, initial condition and Lyapunov estimates, a right-hand
/// side evaluated SIMD across paths, and a hand-written Jacobian.
/// </summary>
public static partial class ChaosCatalogue
{
    private static readonly Lazy<ChaoticSystem[]> Entries = new(CreateEntries);

    /// <summary>Every system, in catalogue order.</summary>
    public static IReadOnlyList<ChaoticSystem> All => Entries.Value;

    /// <summary>The system called <paramref name="name"/> (case-insensitive; '-' and '_' ignored), or null.</summary>
    public static ChaoticSystem? TryFind(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalise(name);
        return Entries.Value.FirstOrDefault(s => Normalise(s.Name) == key);
    }

    /// <summary>The system called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No system has that name.</exception>
    public static ChaoticSystem Find(string name) =>
        TryFind(name) ?? throw new ArgumentException($"no chaotic system called '{name}'; see ChaosCatalogue.All.", nameof(name));

    private static string Normalise(string name) =>
        name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static ChaoticSystem Entry<TKernel>(string name, string equations, string[] parameterNames, double[] defaults, double[] initialState,
        string description, string citation, double maximalLyapunov, double[] spectrum, double kaplanYorke, double period, double samplingStep)
        where TKernel : struct, IFlowKernel =>
        new(FlowKernel.For<TKernel>(), name, equations, parameterNames, defaults, initialState, description, citation,
            maximalLyapunov, spectrum, kaplanYorke, period, samplingStep);
}
