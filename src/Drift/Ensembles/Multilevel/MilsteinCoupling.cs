namespace Drift.Ensembles.Multilevel;

/// <summary>How <see cref="MilsteinMultilevel{TDrift, TDiffusion, TPayoff}"/> couples a level's fine and coarse paths.</summary>
public enum MilsteinCoupling
{
    /// <summary>
    /// Y = φ(X^f) − φ(X^c), the coarse path on the summed fine increments. Without Lévy areas the scheme has strong
    /// order ½ on non-commutative noise, so V_ℓ = O(h) (β = 1).
    /// </summary>
    Plain,

    /// <summary>
    /// Giles &amp; Szpruch (Ann. Appl. Probab. 24, 2014): Y = ½(φ(X^f) + φ(X^a)) − φ(X^c), X^a the antithetic fine path
    /// that takes each pair of fine increments in swapped order. The area errors of X^f and X^a cancel to first order
    /// in their mean, so V_ℓ = O(h²) (β = 2) for smooth φ with no Lévy area simulated.
    /// </summary>
    Antithetic,
}
