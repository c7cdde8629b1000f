namespace Drift.Models.Finance;

/// <summary>European payoff: call (S_T − K)⁺ or put (K − S_T)⁺.</summary>
public enum OptionKind
{
    /// <summary>(S_T − K)⁺.</summary>
    Call,
    /// <summary>(K − S_T)⁺.</summary>
    Put,
}
