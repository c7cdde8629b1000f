using Drift.Models.Text;

namespace Drift.Jumps.Networks;

/// <summary>
/// A chemical reaction network: species with initial molecule counts, named parameters and irreversible reactions
/// (see <see cref="Reaction"/> for the propensity semantics). Read from the text format of docs/jumps.md with
/// <see cref="Parse"/>. The state is the vector of counts x ∈ ℕᵈ; reaction j fires at rate aⱼ(x) and moves the state
/// by its net change νⱼ = products − reactants.
/// </summary>
public sealed class ReactionNetwork
{
    private readonly int[,] _change;

    internal ReactionNetwork(string[] species, long[] initial, string[] parameterNames, double[] parameters, Reaction[] reactions, Node[] propensities)
    {
        Species = species;
        InitialCounts = initial;
        ParameterNames = parameterNames;
        Parameters = parameters;
        Reactions = reactions;
        PropensityNodes = propensities;
        _change = new int[reactions.Length, species.Length];
        for (int j = 0; j < reactions.Length; j++)
        {
            foreach (var r in reactions[j].Reactants) _change[j, r.Species] -= r.Count;
            foreach (var p in reactions[j].Products) _change[j, p.Species] += p.Count;
        }
    }

    /// <summary>Species names, in declaration order (the order of every state vector).</summary>
    public IReadOnlyList<string> Species { get; }

    /// <summary>Initial molecule counts, one per species.</summary>
    public IReadOnlyList<long> InitialCounts { get; }

    /// <summary>Parameter names, in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parameter values.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>The irreversible reactions (a reversible line contributes its forward then its backward reaction).</summary>
    public IReadOnlyList<Reaction> Reactions { get; }

    /// <summary>Each reaction's propensity as an expression of the counts (StateNode j = species j), parameters substituted.</summary>
    internal Node[] PropensityNodes { get; }

    /// <summary>Number of species d.</summary>
    public int SpeciesCount => Species.Count;

    /// <summary>Number of irreversible reactions M.</summary>
    public int ReactionCount => Reactions.Count;

    /// <summary>Net change νⱼᵢ of species <paramref name="species"/> when reaction <paramref name="reaction"/> fires.</summary>
    public int NetChange(int reaction, int species) => _change[reaction, species];

    /// <summary>Parses network text (grammar in docs/jumps.md).</summary>
    /// <exception cref="ModelParseException">The text is malformed; the message starts with "line L, column C:".</exception>
    public static ReactionNetwork Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NetworkParser.Parse(text);
    }

    /// <summary>The same network started from other initial counts.</summary>
    /// <exception cref="ArgumentException">Wrong length or a negative count.</exception>
    public ReactionNetwork WithInitialCounts(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != SpeciesCount) throw new ArgumentException($"expected {SpeciesCount} initial counts, got {counts.Count}.", nameof(counts));
        for (int i = 0; i < counts.Count; i++)
            if (counts[i] < 0 || counts[i] > NetworkParser.MaxCount)
                throw new ArgumentException($"initial count of {Species[i]} must be in 0..2^53, got {counts[i]}.", nameof(counts));
        return new ReactionNetwork([.. Species], [.. counts], [.. ParameterNames], [.. Parameters], [.. Reactions], PropensityNodes);
    }

    /// <summary>
    /// The same network with other stochastic rate constants for its mass-action reactions: element j replaces
    /// reaction j's c (the propensity becomes cⱼ·Πᵢ xᵢ⁽ʳⁱ⁾/rᵢ!). Reactions with explicit propensities must be given NaN
    /// (they are kept as they are). <see cref="Parameters"/> are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length, a negative or non-finite constant for a mass-action reaction, or a number for an explicit one.</exception>
    public ReactionNetwork WithRateConstants(IReadOnlyList<double> rateConstants)
    {
        ArgumentNullException.ThrowIfNull(rateConstants);
        if (rateConstants.Count != ReactionCount) throw new ArgumentException($"expected {ReactionCount} rate constants, got {rateConstants.Count}.", nameof(rateConstants));
        var reactions = new Reaction[ReactionCount];
        var nodes = new Node[ReactionCount];
        for (int j = 0; j < ReactionCount; j++)
        {
            var r = Reactions[j];
            double c = rateConstants[j];
            if (!r.IsMassAction)
            {
                if (!double.IsNaN(c)) throw new ArgumentException($"the reaction on line {r.Line} has an explicit propensity; pass NaN for its rate constant, got {c}.", nameof(rateConstants));
                reactions[j] = r;
                nodes[j] = PropensityNodes[j];
                continue;
            }
            if (!(c >= 0) || double.IsInfinity(c)) throw new ArgumentException($"the rate constant of reaction {j} (line {r.Line}) must be finite and non-negative, got {c}.", nameof(rateConstants));
            SpeciesCount[] reactants = [.. r.Reactants];
            reactions[j] = new Reaction(reactants, [.. r.Products], c, null, r.Line);
            nodes[j] = NetworkParser.MassAction(c, reactants, Species, r.Line, 1);
        }
        return new ReactionNetwork([.. Species], [.. InitialCounts], [.. ParameterNames], [.. Parameters], reactions, nodes);
    }

    /// <summary>
    /// The propensity aⱼ(x) of reaction <paramref name="reaction"/> at counts <paramref name="counts"/> (a reference
    /// evaluation for oracles and tests; the simulators use compiled code that gives the same bits). A time-dependent
    /// propensity is read at t = 0.
    /// </summary>
    public double Propensity(int reaction, ReadOnlySpan<double> counts) => Propensity(reaction, counts, 0);

    /// <summary>The propensity aⱼ(x, t) of reaction <paramref name="reaction"/> at counts <paramref name="counts"/> and time <paramref name="time"/> (the time matters only where <see cref="Reaction.DependsOnTime"/>).</summary>
    public double Propensity(int reaction, ReadOnlySpan<double> counts, double time)
    {
        if ((uint)reaction >= (uint)ReactionCount) throw new ArgumentOutOfRangeException(nameof(reaction), reaction, $"the network has {ReactionCount} reactions.");
        if (counts.Length != SpeciesCount) throw new ArgumentException($"expected {SpeciesCount} counts, got {counts.Length}.", nameof(counts));
        return PropensityTable.Evaluate(PropensityNodes[reaction], counts, time);
    }

    /// <summary>Whether some propensity depends on time explicitly (then only <see cref="Simulation.JumpMethod.Extrande"/> and the continuous methods simulate it).</summary>
    public bool DependsOnTime => Reactions.Any(r => r.DependsOnTime);

    /// <summary>Index of a species by name, or −1.</summary>
    public int IndexOf(string species) => Array.IndexOf((string[])Species, species);
}
