namespace Drift.Sampling.Consensus;

/// <summary>
/// Rastrigin's function f(x) = 10d + Σᵢ ((xᵢ − s)² − 10 cos(2π(xᵢ − s))), global minimum 0 at x = s𝟙, with about 10ᵈ
/// local minima near the integer lattice shifted by s (Rastrigin 1974; Mühlenbein et al. 1991 for d &gt; 2).
/// </summary>
/// <param name="dimension">d ≥ 1.</param>
/// <param name="shift">s: the minimiser's every component.</param>
public readonly struct Rastrigin(int dimension, double shift = 0) : IObjective
{
    /// <inheritdoc/>
    public int Dimension => dimension;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
    {
        int n = values.Length;
        values.Fill(10.0 * dimension);
        for (int i = 0; i < dimension; i++)
            for (int c = 0; c < n; c++)
            {
                double y = x[i * n + c] - shift;
                values[c] += y * y - 10 * Math.Cos(2 * Math.PI * y);
            }
    }
}

/// <summary>
/// Ackley's function f(x) = −20 exp(−0.2 √(Σᵢ yᵢ²/d)) − exp(Σᵢ cos(2π yᵢ)/d) + 20 + e with y = x − s𝟙: global minimum 0 at
/// x = s𝟙 (Ackley 1987; the constants a = 20, b = 0.2, c = 2π as in Pinnau et al. 2017).
/// </summary>
/// <param name="dimension">d ≥ 1.</param>
/// <param name="shift">s: the minimiser's every component.</param>
public readonly struct Ackley(int dimension, double shift = 0) : IObjective
{
    /// <inheritdoc/>
    public int Dimension => dimension;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
    {
        int n = values.Length;
        for (int c = 0; c < n; c++)
        {
            double sq = 0, cos = 0;
            for (int i = 0; i < dimension; i++)
            {
                double y = x[i * n + c] - shift;
                sq += y * y;
                cos += Math.Cos(2 * Math.PI * y);
            }
            values[c] = -20 * Math.Exp(-0.2 * Math.Sqrt(sq / dimension)) - Math.Exp(cos / dimension) + 20 + Math.E;
        }
    }
}
