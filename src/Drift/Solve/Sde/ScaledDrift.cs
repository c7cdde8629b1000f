namespace Drift.Solve.Sde;

/// <summary>
/// s·f for a drift f: lets an explicit step take the explicit share (1 − θ) of a θ-method's drift. With s = 0 the drift
/// is not evaluated (the rows are zero).
/// </summary>
internal struct ScaledDrift<TDrift>(TDrift inner, double scale) : IDrift
    where TDrift : struct, IDrift
{
    /// <summary>The wrapped drift (copied back after use, for drifts that carry state).</summary>
    public TDrift Inner = inner;

    /// <inheritdoc/>
    public readonly int Dimension => Inner.Dimension;

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var rows = dx[..(Inner.Dimension * paths)];
        if (scale == 0) { rows.Clear(); return; }
        Inner.Evaluate(t, x, dx, paths);
        if (scale != 1) for (int i = 0; i < rows.Length; i++) rows[i] *= scale;
    }
}
