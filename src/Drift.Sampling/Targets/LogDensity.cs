namespace Drift.Sampling.Targets;

/// <summary>A log-density over a component-major batch of chains (see <see cref="ILogDensity.Evaluate"/>).</summary>
/// <param name="x">Positions, component-major (length d·n).</param>
/// <param name="logDensity">Receives log π per chain (length n).</param>
/// <param name="gradient">Receives ∇ log π, component-major (length d·n).</param>
public delegate void BatchLogDensity(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient);

/// <summary>A log-density of one point: returns log π(x) and writes ∇ log π(x) into <paramref name="gradient"/>.</summary>
/// <param name="x">The point (length d).</param>
/// <param name="gradient">Receives the gradient (length d).</param>
public delegate double PointLogDensity(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>Targets from delegates, for quick work: one indirect call per batch (or per chain for a point delegate).</summary>
public static class LogDensity
{
    /// <summary>A target from a batch delegate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="dimension"/> is below 1.</exception>
    public static DelegateLogDensity FromBatch(int dimension, BatchLogDensity evaluate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentNullException.ThrowIfNull(evaluate);
        return new DelegateLogDensity(dimension, evaluate, null);
    }

    /// <summary>A target from a delegate of one point; a batch is evaluated chain by chain.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="dimension"/> is below 1.</exception>
    public static DelegateLogDensity FromPoint(int dimension, PointLogDensity evaluate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentNullException.ThrowIfNull(evaluate);
        return new DelegateLogDensity(dimension, null, evaluate);
    }
}

/// <summary>The target made by <see cref="LogDensity.FromBatch"/> or <see cref="LogDensity.FromPoint"/>.</summary>
public readonly struct DelegateLogDensity : ILogDensity
{
    private readonly BatchLogDensity? _batch;
    private readonly PointLogDensity? _point;

    internal DelegateLogDensity(int dimension, BatchLogDensity? batch, PointLogDensity? point)
    {
        Dimension = dimension;
        _batch = batch;
        _point = point;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        if (_batch is not null) { _batch(x, logDensity, gradient); return; }
        int n = logDensity.Length, d = Dimension;
        if (n == 1) { logDensity[0] = _point!(x, gradient); return; }
        Span<double> point = d <= 256 ? stackalloc double[d] : new double[d];
        Span<double> g = d <= 256 ? stackalloc double[d] : new double[d];
        for (int c = 0; c < n; c++)
        {
            for (int i = 0; i < d; i++) point[i] = x[i * n + c];
            logDensity[c] = _point!(point, g);
            for (int i = 0; i < d; i++) gradient[i * n + c] = g[i];
        }
    }
}
