namespace Drift.Solve.Adaptive;

/// <summary>
/// An explicit embedded Runge–Kutta pair with dense output, advancing one trajectory of a
/// d-dimensional ODE dy/dt = f(t, y). Implemented by structs and consumed by the generic
/// <see cref="AdaptiveOde"/> driver, so that every stage is a direct, inlinable call.
/// </summary>
/// <remarks>
/// The driver owns a stage workspace of <see cref="StageRows"/> rows of length d. On entry to
/// <see cref="Step{TDrift}"/> row 0 holds k₁ = f(t, y); after an accepted step the driver makes
/// sure row <see cref="EndpointRow"/> holds f(t + h, ŷ) and copies it to row 0 for the next step
/// (first same as last). Dense output for the step [t, t + h] is valid after
/// <see cref="PrepareDense{TDrift}"/> and until row 0 is overwritten.
/// </remarks>
public interface IEmbeddedMethod : IOdeMethod
{
    /// <summary>
    /// Order q of the error estimator: the scaled estimate behaves like O(h^(q+1)) per step, so the
    /// controller's exponents are divided by k = q + 1.
    /// </summary>
    int ErrorOrder { get; }

    /// <summary>Rows of length d the method needs in its stage workspace.</summary>
    int StageRows { get; }

    /// <summary>Right-hand side evaluations made by one attempted step (k₁ is reused, not counted).</summary>
    int EvaluationsPerStep { get; }

    /// <summary>Row that holds f(t + h, ŷ) after an accepted step.</summary>
    int EndpointRow { get; }

    /// <summary>
    /// Whether <see cref="Step{TDrift}"/> itself evaluates f(t + h, ŷ) into <see cref="EndpointRow"/>
    /// (FSAL pairs whose error estimate uses it); otherwise the driver evaluates it once a step is accepted.
    /// </summary>
    bool EndpointInStep { get; }

    /// <summary>Extra right-hand side evaluations that <see cref="PrepareDense{TDrift}"/> makes per step.</summary>
    int DenseEvaluations { get; }

    /// <summary>
    /// Where the method's stability region meets the negative real axis, |hλ| at the boundary
    /// (Hairer's values: 3.3 for DOPRI5, 6.1 for DOP853; 3.5 for Tsit5), used by the stiffness test;
    /// NaN if the method offers no stiffness estimate.
    /// </summary>
    double StabilityBoundary { get; }

    /// <summary>
    /// Attempts one step: fills the stages, writes the propagated solution ŷ ≈ y(t + h) and returns
    /// the scaled RMS error norm of the embedded estimate,
    /// √((1/d) Σᵢ (errᵢ / (atol + rtol·max(|yᵢ|, |ŷᵢ|)))²) (≤ 1 means acceptable; NaN if a stage was not finite).
    /// </summary>
    /// <param name="f">The right-hand side, evaluated with one path per call.</param>
    /// <param name="t">Start of the step.</param>
    /// <param name="h">Step size (positive).</param>
    /// <param name="y">State at t (length d).</param>
    /// <param name="yNew">Output: ŷ, the state at t + h.</param>
    /// <param name="stages">Workspace of <see cref="StageRows"/>·d values, row 0 = f(t, y).</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="atol">Absolute tolerance.</param>
    double Step<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, Span<double> yNew, Span<double> stages, double rtol, double atol)
        where TDrift : struct, IDrift;

    /// <summary>
    /// Hairer's stiffness indicator for the last accepted step, h·‖f(ŷ) − f(Y_s)‖ / ‖ŷ − Y_s‖ for the
    /// stage Y_s that shares ŷ's time: an estimate of h·|λ_max|. NaN where the method offers none.
    /// </summary>
    double StiffnessEstimate(double h, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages);

    /// <summary>Computes whatever the interpolant of the accepted step [t, t + h] needs beyond the stages (extra evaluations for DOP853).</summary>
    void PrepareDense<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> stages)
        where TDrift : struct, IDrift;

    /// <summary>
    /// The dense output y(t + θh) for θ ∈ [0, 1] of the accepted step, exact at both ends
    /// (y at θ = 0, ŷ at θ = 1) up to rounding.
    /// </summary>
    void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> result);
}
