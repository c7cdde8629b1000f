namespace Drift.Potentials;

/// <summary>
/// A potential given by delegates, for quick work: one indirect call per batch, not per path.
/// </summary>
/// <param name="dimension">Number of coordinates n (at least 1).</param>
/// <param name="gradient">Writes ∇U: n rows.</param>
/// <param name="value">Writes U: one row.</param>
/// <param name="laplacian">Writes ΔU: one row; null when the Laplacian is not known (configurational temperatures are then unavailable).</param>
public readonly struct PotentialFunction(int dimension, PositionBatchFunction gradient, PositionBatchFunction value, PositionBatchFunction? laplacian = null)
    : ILaplacianPotential
{
    private readonly PositionBatchFunction _gradient = gradient ?? throw new ArgumentNullException(nameof(gradient));
    private readonly PositionBatchFunction _value = value ?? throw new ArgumentNullException(nameof(value));
    private readonly PositionBatchFunction? _laplacian = laplacian;

    /// <inheritdoc/>
    public int Dimension { get; } = dimension >= 1 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "a potential needs at least one coordinate.");

    /// <summary>Whether a Laplacian delegate was given.</summary>
    public bool HasLaplacian => _laplacian is not null;

    /// <inheritdoc/>
    public void Gradient(ReadOnlySpan<double> q, Span<double> gradient, int paths) => _gradient(q, gradient, paths);

    /// <inheritdoc/>
    public void Value(ReadOnlySpan<double> q, Span<double> energy, int paths) => _value(q, energy, paths);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No Laplacian delegate was given.</exception>
    public void Laplacian(ReadOnlySpan<double> q, Span<double> laplacian, int paths)
    {
        if (_laplacian is null)
            throw new InvalidOperationException("this potential was built without a Laplacian; pass one to PotentialFunction to measure configurational temperatures.");
        _laplacian(q, laplacian, paths);
    }
}
