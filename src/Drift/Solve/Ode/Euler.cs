namespace Drift.Solve.Ode;

/// <summary>Explicit Euler: x_{n+1} = x_n + h f(t_n, x_n). Order 1.</summary>
public readonly struct Euler : IOdeSolver
{
    /// <inheritdoc/>
    public string Name => "euler";
    /// <inheritdoc/>
    public int Order => 1;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 1;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, SolverScratch scratch, double t, double h, Span<double> x, int paths)
        where TDrift : struct, IDrift
    {
        var k = scratch.Slot(0, f.Dimension * paths);
        f.Evaluate(t, x, k, paths);
        Rows.AddScaled(x, k, h, x);
    }
}
