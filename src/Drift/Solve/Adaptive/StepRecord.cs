namespace Drift.Solve.Adaptive;

/// <summary>One attempted step, recorded when <see cref="AdaptiveOptions.RecordSteps"/> is set.</summary>
/// <param name="Time">Start t of the step.</param>
/// <param name="Size">Step size h.</param>
/// <param name="ErrorNorm">
/// The scaled RMS norm of the embedded local error estimate,
/// √((1/d) Σᵢ (errᵢ / (atol + rtol·max(|yᵢ|, |ŷᵢ|)))²); ≤ 1 for accepted adaptive steps, NaN if the step produced a non-finite value.
/// </param>
/// <param name="Stiffness">Hairer's estimate of h·|λ_max| on accepted steps (NaN where the method has none, or on rejected steps).</param>
/// <param name="Accepted">Whether the step was accepted.</param>
public readonly record struct StepRecord(double Time, double Size, double ErrorNorm, double Stiffness, bool Accepted);
