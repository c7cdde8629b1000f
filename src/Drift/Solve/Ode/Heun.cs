namespace Drift.Solve.Ode;

/// <summary>Heun's method (explicit trapezoid): k₁ = f(t, x), k₂ = f(t + h, x + h k₁), x_{n+1} = x + h(k₁ + k₂)/2. Order 2.</summary>
public readonly struct Heun : IOdeSolver
{
    /// <inheritdoc/>
    public string Name => "heun";
    /// <inheritdoc/>
    public int Order => 2;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 2;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, SolverScratch scratch, double t, double h, Span<double> x, int paths)
        where TDrift : struct, IDrift
    {
        int n = f.Dimension * paths;
        var k1 = scratch.Slot(0, n);
        var predictor = scratch.Slot(1, n);
        var k2 = scratch.Slot(2, n);
        f.Evaluate(t, x, k1, paths);
        Rows.AddScaled(x, k1, h, predictor);
        f.Evaluate(t + h, predictor, k2, paths);
        Rows.AddScaled(x, k1, 0.5 * h, x);
        Rows.AddScaled(x, k2, 0.5 * h, x);
    }
}
