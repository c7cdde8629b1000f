namespace Drift.Ensembles.Multilevel;

/// <summary>A payoff φ(X_T) of the terminal state, evaluated for a batch of paths (a struct, so samplers specialise).</summary>
public interface ITerminalPayoff
{
    /// <summary>Writes φ(x) for every path.</summary>
    /// <param name="x">Terminal states, d rows of <paramref name="paths"/> values (component-major).</param>
    /// <param name="values">Output, one value per path.</param>
    /// <param name="paths">Paths in the batch.</param>
    void Evaluate(ReadOnlySpan<double> x, Span<double> values, int paths);
}
