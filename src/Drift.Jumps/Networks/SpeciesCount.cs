namespace Drift.Jumps.Networks;

/// <summary>A species (index into <see cref="ReactionNetwork.Species"/>) with its stoichiometric coefficient in one side of a reaction.</summary>
/// <param name="Species">Index of the species.</param>
/// <param name="Count">Positive integer coefficient.</param>
public readonly record struct SpeciesCount(int Species, int Count);
