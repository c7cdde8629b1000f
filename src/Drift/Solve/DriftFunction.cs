namespace Drift.Solve;

/// <summary>A drift given by a delegate: one indirect call per batch, not per path.</summary>
/// <param name="dimension">State dimension d.</param>
/// <param name="function">Writes f(t, x) for a batch.</param>
public readonly struct DriftFunction(int dimension, BatchFunction function) : IDrift
{
    private readonly BatchFunction _function = function ?? throw new ArgumentNullException(nameof(function));

    /// <inheritdoc/>
    public int Dimension { get; } = dimension >= 1 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "state dimension must be at least 1.");

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => _function(t, x, dx, paths);
}
