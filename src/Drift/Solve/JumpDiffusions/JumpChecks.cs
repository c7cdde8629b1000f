namespace Drift.Solve.JumpDiffusions;

/// <summary>The argument checks shared by the built-in constant-intensity jumps.</summary>
internal static class JumpChecks
{
    /// <exception cref="ArgumentOutOfRangeException">λ is negative, NaN or infinite, d &lt; 1, or c is not in [0, d).</exception>
    public static void Validate(double intensity, int component, int dimension)
    {
        if (!(intensity >= 0) || double.IsInfinity(intensity)) throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "the jump intensity must be finite and non-negative.");
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the dimension must be at least 1.");
        if (component < 0 || component >= dimension) throw new ArgumentOutOfRangeException(nameof(component), component, $"the component must lie in [0, {dimension}).");
    }
}
