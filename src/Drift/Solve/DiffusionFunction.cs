namespace Drift.Solve;

/// <summary>A diffusion given by a delegate: one indirect call per batch, not per path.</summary>
/// <param name="dimension">State dimension d.</param>
/// <param name="noiseDimension">Brownian dimension m.</param>
/// <param name="noise">The structure of g, which fixes its layout.</param>
/// <param name="function">Writes g(t, x) for a batch.</param>
public readonly struct DiffusionFunction(int dimension, int noiseDimension, NoiseKind noise, BatchFunction function) : IGeneralNoise
{
    private readonly BatchFunction _function = function ?? throw new ArgumentNullException(nameof(function));

    /// <inheritdoc/>
    public int Dimension { get; } = dimension;

    /// <inheritdoc/>
    public int NoiseDimension { get; } = noiseDimension;

    /// <inheritdoc/>
    public NoiseKind Noise { get; } = noise;

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => _function(t, x, g, paths);
}
