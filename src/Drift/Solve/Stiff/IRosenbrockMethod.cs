using Drift.Numerics;

namespace Drift.Solve.Stiff;

/// <summary>
/// A Rosenbrock (linearly implicit Runge–Kutta) method with an embedded error estimate and dense output,
/// in the increment form of Hairer &amp; Wanner (Solving ODEs II, §IV.7): with W = I/(γh) − J, J = ∂f/∂x and
/// f_t = ∂f/∂t at (t, y), stage i solves W kᵢ = f(t + cᵢh, y + Σⱼ aᵢⱼkⱼ) + Σⱼ (Cᵢⱼ/h)kⱼ + h dᵢ f_t.
/// Every step needs J and one LU factorisation of W; no Newton iteration. Implemented by structs so that
/// <see cref="StiffOde"/> specialises for each.
/// </summary>
public interface IRosenbrockMethod : IStiffMethod
{
    /// <summary>Order of the error estimate's leading term minus one: the controller uses exponent 1/(ErrorOrder + 1).</summary>
    int ErrorOrder { get; }

    /// <summary>The diagonal γ of W = I/(γh) − J.</summary>
    double Gamma { get; }

    /// <summary>Stage vectors of length d the method keeps per step (for the step and its dense output).</summary>
    int StageRows { get; }

    /// <summary>Right-hand side evaluations per step besides f(t, y) (which the loop supplies).</summary>
    int EvaluationsPerStep { get; }

    /// <summary>Whether <see cref="Step{TDrift}"/> leaves f(t + h, y_new) in the endpoint output (first same as last).</summary>
    bool EndpointInStep { get; }

    /// <summary>
    /// One step from (t, y): writes y_new and the error estimate (unscaled, per component), and f(t + h, y_new)
    /// when <see cref="EndpointInStep"/>. <paramref name="w"/> solves with the factorised W = I/(γh) − J (dense or banded).
    /// </summary>
    void Step<TDrift>(ref TDrift f, ILinearSolver w, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> f0, ReadOnlySpan<double> dfdt,
        Span<double> yNew, Span<double> error, Span<double> endpoint, Span<double> stages, Span<double> scratch)
        where TDrift : struct, IDrift;

    /// <summary>The dense output at t + θh, θ ∈ [0, 1], from the last step's stages.</summary>
    void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> output);
}
