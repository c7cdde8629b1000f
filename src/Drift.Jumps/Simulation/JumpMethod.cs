namespace Drift.Jumps.Simulation;

/// <summary>How a reaction network is simulated.</summary>
public enum JumpMethod
{
    /// <summary>Gillespie's (1977) direct method: exact; one exponential waiting time and one linear search per event, propensities updated through the dependency graph.</summary>
    Direct,

    /// <summary>Gibson &amp; Bruck's (2000) next-reaction method: exact; absolute putative times in an indexed binary heap, one uniform per event, O(log M) per event. For networks with many reactions.</summary>
    NextReaction,

    /// <summary>McCollum et al.'s (2006) sorting direct method: exact; the direct method with the search order adapted by moving each fired reaction one place forward.</summary>
    SortingDirect,

    /// <summary>Thanh, Priami &amp; Zunino's (2014) rejection-based SSA: exact; propensity bounds on fluctuation intervals of the counts, so most events evaluate no propensity. Mass-action networks only; for large networks.</summary>
    Rejection,

    /// <summary>Explicit tau-leaping with Cao, Gillespie &amp; Petzold's (2006) step selection and critical reactions: approximate, never a negative count.</summary>
    TauLeap,

    /// <summary>The chemical Langevin equation dX = Σⱼ νⱼaⱼ(X)dt + Σⱼ νⱼ√aⱼ(X) dWⱼ (Gillespie 2000) by Euler–Maruyama on the SDE engine: approximate, continuous.</summary>
    ChemicalLangevin,

    /// <summary>The reaction-rate equation dx/dt = Σⱼ νⱼaⱼ(x) by the adaptive Tsitouras 5(4) solver: deterministic, the large-volume limit.</summary>
    RateEquation,

    /// <summary>
    /// Voliotis et al.'s (2016) Extrande: exact for propensities aⱼ(x, t) that depend on time explicitly (and for any
    /// other network), by thinning with a propensity bound over a look-ahead window and a null reaction.
    /// </summary>
    Extrande,

    /// <summary>
    /// RSSA-CR (Thanh, Zunino &amp; Priami 2017): the rejection-based SSA of <see cref="Rejection"/> with the trial reaction
    /// drawn by composition–rejection over groups of power-of-two propensity bounds, O(1) in the number of reactions.
    /// Exact; mass-action networks only; for networks of thousands of reactions.
    /// </summary>
    RejectionComposition,
}
