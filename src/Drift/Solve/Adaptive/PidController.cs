namespace Drift.Solve.Adaptive;

/// <summary>
/// Error-per-step PID step-size control (Söderlind, "Digital filters in adaptive time-stepping",
/// ACM TOMS 29, 2003). With εₙ the scaled RMS error norm of step n (accept iff εₙ ≤ 1) and k = q + 1
/// (q the method's <see cref="IEmbeddedMethod.ErrorOrder"/>), the next step is
/// h_{n+1} = hₙ · clamp(safety · εₙ^(−β₁/k) · εₙ₋₁^(−β₂/k) · εₙ₋₂^(−β₃/k), minFactor, maxFactor),
/// capped at <see cref="MaxStep"/>; after a rejection the factor is at most 1. A rejected step is
/// retried with hₙ · max(minFactor, safety · εₙ^(−β₁/k)). Past errors enter as max(ε, 10⁻⁴) (Hairer's
/// floor) and only from accepted steps.
/// </summary>
/// <remarks>
/// <para>Defaults, and why:</para>
/// <list type="bullet">
/// <item>rtol = atol = 10⁻⁶: six significant digits; tighter than scipy's 10⁻³ default, which is too loose for trajectory comparisons.</item>
/// <item>safety 0.9, minFactor 0.2, maxFactor 10: Hairer's DOPRI5 (HNW I §II.4) and scipy's choices.</item>
/// <item>(β₁, β₂, β₃) = (0.85, −0.2, 0): Hairer's PI controller of DOPRI5 (HNW I §II.4 and
/// II §IV.2: h_{n+1} = hₙ·εₙ^(−α)·εₙ₋₁^β with β = 0.04, α = 1/5 − 0.75β) written in Söderlind's
/// normalised form for k = 5. At equilibrium it aims at ε ≈ 0.9^(k/0.65) ≈ 0.44 (k = 5), close to the
/// pure I controller's 0.9^k, so it takes about as many steps while damping the step-size
/// oscillation that causes rejections (on Lorenz at 10⁻⁹: 0 rejections instead of 82, 4 % more
/// steps). Gustafsson's (0.7, −0.4) was rejected as a default: its equilibrium ε ≈ 0.17 costs
/// ≈ 30 % more steps on the same problem. β = (1, 0, 0) is <see cref="Integral"/>, scipy's choice.</item>
/// <item>maxSteps 100 000 (Hairer's NMAX); no minimum or maximum step beyond 10 ulp(t) and t1 − t0.</item>
/// <item>The first step is Hairer's automatic guess (HNW I §II.4, one extra evaluation) unless <see cref="InitialStep"/> is set.</item>
/// </list>
/// </remarks>
public sealed record PidController : IStepSizeController
{
    /// <summary>Relative tolerance rtol ≥ 0 (default 10⁻⁶).</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Absolute tolerance atol ≥ 0 (default 10⁻⁶); rtol and atol must not both be 0.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>Safety factor in (0, 1] (default 0.9).</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>Smallest step-size ratio per step, in (0, 1) (default 0.2).</summary>
    public double MinFactor { get; init; } = 0.2;

    /// <summary>Largest step-size ratio per step, above 1 (default 10).</summary>
    public double MaxFactor { get; init; } = 10.0;

    /// <summary>β₁, the exponent (times k) of the current error (default 0.85).</summary>
    public double Beta1 { get; init; } = 0.85;

    /// <summary>β₂, the exponent (times k) of the previous error (default −0.2).</summary>
    public double Beta2 { get; init; } = -0.2;

    /// <summary>β₃, the exponent (times k) of the error before that (default 0: PI control).</summary>
    public double Beta3 { get; init; }

    /// <summary>Smallest step h ≥ 0 (default 0, meaning 10 ulp(t)); a smaller request stops the solve with <see cref="SolveStatus.StepTooSmall"/>.</summary>
    public double MinStep { get; init; }

    /// <summary>Largest step h &gt; 0 (default +∞).</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>First step h₀ ≥ 0 (default 0: Hairer's automatic guess).</summary>
    public double InitialStep { get; init; }

    /// <summary>Most attempted (accepted plus rejected) steps, ≥ 1 (default 100 000).</summary>
    public long MaxSteps { get; init; } = 100_000;

    /// <summary>
    /// When positive, every step has this size (the last one shortened to end at t1), nothing is
    /// rejected and the controller is off; error estimates are still computed and recorded
    /// (default 0: adaptive). For convergence studies and fixed-grid research.
    /// </summary>
    public double FixedStep { get; init; }

    /// <summary>The pure integral (I) controller, β = (1, 0, 0): h_{n+1} = hₙ·safety·εₙ^(−1/k) (scipy's and MATLAB's).</summary>
    public static PidController Integral { get; } = new() { Beta1 = 1.0, Beta2 = 0.0, Beta3 = 0.0 };

    /// <summary>
    /// The default of adaptive SDE solves: integral control (β₁ = 1) with rtol = 10⁻³, atol = 10⁻⁶, growth at
    /// most 2× per step and 10⁶ attempted steps per path (the error exponents become βᵢ/(p + ½), p the
    /// solver's strong order). A stochastic error estimate is rough; the PI gains tuned for ODEs buy nothing there.
    /// </summary>
    public static PidController StochasticDefault { get; } = Integral with
    {
        RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-6, MaxFactor = 2.0, MaxSteps = 1_000_000,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Check(RelativeTolerance >= 0 && double.IsFinite(RelativeTolerance), nameof(RelativeTolerance), RelativeTolerance, "must be finite and ≥ 0");
        Check(AbsoluteTolerance >= 0 && double.IsFinite(AbsoluteTolerance), nameof(AbsoluteTolerance), AbsoluteTolerance, "must be finite and ≥ 0");
        Check(RelativeTolerance > 0 || AbsoluteTolerance > 0, nameof(AbsoluteTolerance), AbsoluteTolerance, "and the relative tolerance must not both be 0");
        Check(Safety > 0 && Safety <= 1, nameof(Safety), Safety, "must lie in (0, 1]");
        Check(MinFactor > 0 && MinFactor < 1, nameof(MinFactor), MinFactor, "must lie in (0, 1)");
        Check(MaxFactor > 1 && !double.IsNaN(MaxFactor), nameof(MaxFactor), MaxFactor, "must exceed 1");
        Check(double.IsFinite(Beta1) && Beta1 > 0, nameof(Beta1), Beta1, "must be finite and positive");
        Check(double.IsFinite(Beta2), nameof(Beta2), Beta2, "must be finite");
        Check(double.IsFinite(Beta3), nameof(Beta3), Beta3, "must be finite");
        Check(MinStep >= 0 && double.IsFinite(MinStep), nameof(MinStep), MinStep, "must be finite and ≥ 0");
        Check(MaxStep > 0 && MaxStep >= MinStep, nameof(MaxStep), MaxStep, "must be positive and at least MinStep");
        Check(InitialStep >= 0 && double.IsFinite(InitialStep), nameof(InitialStep), InitialStep, "must be finite and ≥ 0");
        Check(MaxSteps >= 1, nameof(MaxSteps), MaxSteps, "must be at least 1");
        Check(FixedStep >= 0 && double.IsFinite(FixedStep), nameof(FixedStep), FixedStep, "must be finite and ≥ 0");
    }

    private static void Check(bool ok, string name, double value, string rule)
    {
        if (!ok) throw new ArgumentException($"{name} = {value} {rule}.", name);
    }
}
