using Drift.Numerics;

namespace Drift.Solve.Ode;

/// <summary>
/// The classical fourth-order Runge–Kutta method:
/// x_{n+1} = x + h(k₁ + 2k₂ + 2k₃ + k₄)/6 with k₁ = f(t, x), k₂ = f(t + h/2, x + h k₁/2),
/// k₃ = f(t + h/2, x + h k₂/2), k₄ = f(t + h, x + h k₃). Order 4.
/// </summary>
public readonly struct RungeKutta4 : IOdeSolver
{
    /// <inheritdoc/>
    public string Name => "rk4";
    /// <inheritdoc/>
    public int Order => 4;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 4;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, SolverScratch scratch, double t, double h, Span<double> x, int paths)
        where TDrift : struct, IDrift
    {
        int n = f.Dimension * paths;
        var k1 = scratch.Slot(0, n);
        var k2 = scratch.Slot(1, n);
        var k3 = scratch.Slot(2, n);
        var k4 = scratch.Slot(3, n);
        var stage = scratch.Slot(4, n);
        f.Evaluate(t, x, k1, paths);
        Rows.AddScaled(x, k1, 0.5 * h, stage);
        f.Evaluate(t + 0.5 * h, stage, k2, paths);
        Rows.AddScaled(x, k2, 0.5 * h, stage);
        f.Evaluate(t + 0.5 * h, stage, k3, paths);
        Rows.AddScaled(x, k3, h, stage);
        f.Evaluate(t + h, stage, k4, paths);
        Elementwise.Map(new Combine4(h / 6.0, h / 3.0, h / 3.0, h / 6.0), k1, k2, k3, k4, stage);
        Rows.AddScaled(x, stage, 1.0, x);
    }
}
