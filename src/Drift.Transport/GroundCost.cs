namespace Drift.Transport;

/// <summary>Ground cost c(x, y) between two points of ℝ^d.</summary>
public enum GroundCost
{
    /// <summary>c(x, y) = ‖x − y‖₂² (the default; W₂² when used with exact transport).</summary>
    SquaredEuclidean,

    /// <summary>c(x, y) = ‖x − y‖₂ (W₁ with exact transport).</summary>
    Euclidean,

    /// <summary>c(x, y) = ‖x − y‖₁ = Σₖ |xₖ − yₖ|.</summary>
    Manhattan,
}
