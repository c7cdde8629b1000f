namespace Drift.Solve.Ode;

/// <summary>Explicit midpoint: k₁ = f(t, x), x_{n+1} = x + h f(t + h/2, x + h k₁/2). Order 2.</summary>
public readonly struct Midpoint : IOdeSolver
{
    /// <inheritdoc/>
    public string Name => "midpoint";
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
        var mid = scratch.Slot(1, n);
        var k2 = scratch.Slot(2, n);
        f.Evaluate(t, x, k1, paths);
        Rows.AddScaled(x, k1, 0.5 * h, mid);
        f.Evaluate(t + 0.5 * h, mid, k2, paths);
        Rows.AddScaled(x, k2, h, x);
    }
}
