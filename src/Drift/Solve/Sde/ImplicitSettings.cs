namespace Drift.Solve.Sde;

/// <summary>Argument checks and scratch-slot numbers shared by the implicit SDE solvers (slots 5–10 belong to <see cref="ImplicitStage"/>).</summary>
internal static class ImplicitSettings
{
    /// <summary>f(t_n, X_n) or the first stage's drift.</summary>
    public const int DriftSlot = 11;
    /// <summary>g(t_n, X_n).</summary>
    public const int DiffusionSlot = 12;
    /// <summary>The explicit part r of a stage equation y = r + c f(y).</summary>
    public const int RestSlot = 13;

    /// <summary>Throws an <see cref="ArgumentException"/> naming a bad θ, tolerance or iteration budget.</summary>
    public static void Check(double theta, double newtonTolerance, int maxIterations)
    {
        if (!(theta >= 0 && theta <= 1)) throw new ArgumentException($"theta must lie in [0, 1], got {theta}.", nameof(theta));
        if (!(newtonTolerance > 0) || !double.IsFinite(newtonTolerance)) throw new ArgumentException($"the Newton tolerance must be positive and finite, got {newtonTolerance}.", nameof(newtonTolerance));
        if (maxIterations < 1) throw new ArgumentException($"at least one Newton iteration is needed, got {maxIterations}.", nameof(maxIterations));
    }
}
