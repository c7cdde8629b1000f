namespace Drift.Solve;

/// <summary>How the stochastic integral ∫ g dW is read.</summary>
public enum Calculus
{
    /// <summary>Itô: g evaluated at the left end of each increment.</summary>
    Ito,
    /// <summary>Stratonovich: g evaluated at the midpoint (∘ dW); the chain rule of ordinary calculus holds.</summary>
    Stratonovich,
}
