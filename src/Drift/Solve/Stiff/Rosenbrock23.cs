using Drift.Numerics;
using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// The L-stable order-2 Rosenbrock method with a third-order error estimate of Shampine &amp; Reichelt (1997,
/// "The MATLAB ODE Suite", SIAM J. Sci. Comput. 18; MATLAB's ode23s, DifferentialEquations.jl's Rosenbrock23).
/// With d = 1/(2 + √2), e₃₂ = 6 + √2, W = I − hdJ, T = ∂f/∂t, F₀ = f(t, y):
/// k₁ = W⁻¹(F₀ + hdT), F₁ = f(t + h/2, y + hk₁/2), k₂ = W⁻¹(F₁ − k₁) + k₁, y_new = y + hk₂,
/// F₂ = f(t + h, y_new), k₃ = W⁻¹(F₂ − e₃₂(k₂ − F₁) − 2(k₁ − F₀) + hdT), error = h(k₁ − 2k₂ + k₃)/6.
/// Dense output: y(t + θh) = y + h[θ(1 − θ)k₁ + θ(θ − 2d)k₂]/(1 − 2d). F₂ is the next step's F₀.
/// Robust at loose tolerances (rtol ≈ 10⁻³), where it is cheaper than higher-order methods.
/// </summary>
public readonly struct Rosenbrock23 : IRosenbrockMethod
{
    private static readonly double D = 1.0 / (2.0 + Math.Sqrt(2.0));
    private static readonly double E32 = 6.0 + Math.Sqrt(2.0);

    /// <inheritdoc/>
    public string Name => "rosenbrock23";
    /// <inheritdoc/>
    public int Order => 2;
    /// <inheritdoc/>
    public int ErrorOrder => 2;
    /// <inheritdoc/>
    public double Gamma => D;
    /// <inheritdoc/>
    public int StageRows => 2;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 2;
    /// <inheritdoc/>
    public OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift
        => StiffOde.Solve(problem, this, options);

    /// <inheritdoc/>
    public bool EndpointInStep => true;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, ILinearSolver w, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> f0, ReadOnlySpan<double> dfdt,
        Span<double> yNew, Span<double> error, Span<double> endpoint, Span<double> stages, Span<double> scratch)
        where TDrift : struct, IDrift
    {
        int n = y.Length;
        double hd = h * D, inv = 1.0 / hd;
        var k1 = stages[..n];
        var k2 = stages.Slice(n, n);
        var f1 = scratch[..n];
        var u = scratch.Slice(n, n);
        // W = hd·(I/(hd) − J), so W⁻¹b = (I/(hd) − J)⁻¹ b / (hd).
        for (int i = 0; i < n; i++) k1[i] = f0[i] + hd * dfdt[i];
        w.Solve(k1);
        for (int i = 0; i < n; i++) { k1[i] *= inv; u[i] = y[i] + 0.5 * h * k1[i]; }
        f.Evaluate(t + 0.5 * h, u, f1, 1);
        for (int i = 0; i < n; i++) k2[i] = f1[i] - k1[i];
        w.Solve(k2);
        for (int i = 0; i < n; i++) { k2[i] = k2[i] * inv + k1[i]; yNew[i] = y[i] + h * k2[i]; }
        f.Evaluate(t + h, yNew, endpoint, 1);
        for (int i = 0; i < n; i++)
            error[i] = endpoint[i] - E32 * (k2[i] - f1[i]) - 2.0 * (k1[i] - f0[i]) + hd * dfdt[i];
        w.Solve(error);
        for (int i = 0; i < n; i++) error[i] = h / 6.0 * (k1[i] - 2.0 * k2[i] + error[i] * inv);
    }

    /// <inheritdoc/>
    public void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> output)
    {
        int n = y.Length;
        double s = h / (1.0 - 2.0 * D), a = s * theta * (1.0 - theta), b = s * theta * (theta - 2.0 * D);
        for (int i = 0; i < n; i++) output[i] = y[i] + a * stages[i] + b * stages[n + i];
    }
}
