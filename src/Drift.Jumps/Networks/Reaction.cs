namespace Drift.Jumps.Networks;

/// <summary>
/// One irreversible reaction Σ rᵢ Sᵢ → Σ pᵢ Sᵢ of a <see cref="ReactionNetwork"/> (a reversible <c>&lt;-&gt;</c> line gives
/// two). Its propensity a(x), the probability per unit time that it fires in state x, is either mass action
/// a(x) = c·Πᵢ x⁽ʳⁱ⁾/rᵢ! (x⁽ʳ⁾ = x(x−1)…(x−r+1) the falling factorial, so c·Πᵢ C(xᵢ, rᵢ): Gillespie's 1976 counting of
/// distinct reactant combinations; 0 when some xᵢ &lt; rᵢ) with the stochastic rate constant c, or an explicit
/// expression of the counts.
/// </summary>
public sealed class Reaction
{
    internal Reaction(SpeciesCount[] reactants, SpeciesCount[] products, double rateConstant, string? propensity, int line, bool dependsOnTime = false)
    {
        DependsOnTime = dependsOnTime;
        Reactants = reactants;
        Products = products;
        RateConstant = rateConstant;
        Propensity = propensity;
        Line = line;
    }

    /// <summary>Reactant species and coefficients (empty for a source <c>0 → …</c>).</summary>
    public IReadOnlyList<SpeciesCount> Reactants { get; }

    /// <summary>Product species and coefficients (empty for a sink <c>… → 0</c>).</summary>
    public IReadOnlyList<SpeciesCount> Products { get; }

    /// <summary>Whether the propensity is mass action with <see cref="RateConstant"/>.</summary>
    public bool IsMassAction => Propensity is null;

    /// <summary>The stochastic rate constant c of a mass-action reaction (per unit time); NaN for an explicit propensity.</summary>
    public double RateConstant { get; }

    /// <summary>The explicit propensity expression as written (parameters not substituted), or null for mass action.</summary>
    public string? Propensity { get; }

    /// <summary>
    /// Whether the explicit propensity reads the time t (a(x, t): a time-inhomogeneous process, simulated exactly by
    /// <see cref="Simulation.JumpMethod.Extrande"/>); false for mass action.
    /// </summary>
    public bool DependsOnTime { get; }

    /// <summary>The 1-based line of the model text that declared the reaction (0 for a network built in code).</summary>
    public int Line { get; }

    /// <summary>Reaction order Σ rᵢ.</summary>
    public int Order => Reactants.Sum(r => r.Count);
}
