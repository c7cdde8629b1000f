namespace Drift.Solve.Sde;

/// <summary>
/// Drift-implicit Euler–Maruyama, the stochastic θ-method (Higham 2000, "Mean-square and asymptotic stability of the
/// stochastic theta method", SIAM J. Numer. Anal. 38):
/// X_{n+1} = X_n + [θ f(t_{n+1}, X_{n+1}) + (1 − θ) f(t_n, X_n)] h + g(t_n, X_n) ΔW_n,
/// the implicit equation solved by simplified Newton (<see cref="ImplicitStage"/>: J from the drift's
/// <see cref="IJacobian"/> or forward differences, one LU per path and step). θ = 1 (the default) is backward
/// Euler in the drift, θ = ½ the trapezoidal rule, θ = 0 Euler–Maruyama itself.
/// Strong order ½ (1 for additive noise), weak order 1; any noise kind (Itô, or additive noise in either calculus).
/// </summary>
/// <remarks>
/// On dX = λX dt + μX dW the step multiplies X by (1 + (1 − θ)λh + μΔW)/(1 − θλh), so
/// E|X_{n+1}|² = R·E|X_n|² with R = ((1 + (1 − θ)λh)² + μ²h)/(1 − θλh)²; R &lt; 1 ⇔ (1 − 2θ)λ²h &lt; −(2λ + μ²).
/// For θ ≥ ½ the scheme is therefore mean-square stable for every h whenever the SDE is (2λ + μ² &lt; 0), where
/// Euler–Maruyama needs h &lt; −(2λ + μ²)/λ² (Higham 2000, Theorem 5.3 and Corollary 5.4).
/// A path whose Newton iteration fails stops with <see cref="SolveStatus.NotConverged"/> or
/// <see cref="SolveStatus.SingularJacobian"/> at the step's end time. Under a PID controller it runs through step
/// doubling, for additive noise only (as Euler–Maruyama: Foster &amp; Jelinčič 2024).
/// </remarks>
public readonly struct ImplicitEulerMaruyama : IItoSolver<ImplicitEulerMaruyama, IGeneralNoise>, IStratonovichSolver<ImplicitEulerMaruyama, IAdditiveNoise>
{
    // Stored as 1 − θ and offsets from the defaults so that default(ImplicitEulerMaruyama) is the θ = 1 method.
    private readonly double _explicitShare;
    private readonly double _tolerance;
    private readonly int _maxIterations;

    /// <summary>The θ-method with the given implicitness and Newton settings.</summary>
    /// <param name="theta">θ ∈ [0, 1]: the weight of the drift at the step's end.</param>
    /// <param name="newtonTolerance">Stop when the estimated remaining Newton error, scaled by 1 + |x|, is below this (default 10⁻⁹).</param>
    /// <param name="maxIterations">Newton iterations allowed per step (default 10).</param>
    /// <exception cref="ArgumentException">θ outside [0, 1], a tolerance that is not positive and finite, or fewer than 1 iteration.</exception>
    public ImplicitEulerMaruyama(double theta = 1.0, double newtonTolerance = DefaultTolerance, int maxIterations = DefaultIterations)
    {
        ImplicitSettings.Check(theta, newtonTolerance, maxIterations);
        _explicitShare = 1.0 - theta;
        _tolerance = newtonTolerance;
        _maxIterations = maxIterations;
    }

    internal const double DefaultTolerance = 1e-9;
    internal const int DefaultIterations = 10;

    /// <summary>θ, the weight of the implicit drift.</summary>
    public double Theta => 1.0 - _explicitShare;
    /// <summary>The Newton stopping tolerance.</summary>
    public double NewtonTolerance => _tolerance > 0 ? _tolerance : DefaultTolerance;
    /// <summary>Newton iterations allowed per step.</summary>
    public int MaxIterations => _maxIterations > 0 ? _maxIterations : DefaultIterations;
    /// <inheritdoc/>
    public string Name => "implicit-euler";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => noise == NoiseKind.Additive ? 1.0 : 0.5;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => calculus == Calculus.Ito || noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <summary>Nominal drift evaluations per step: f(t_n, X_n) and two Newton iterations (the usual count on mildly nonlinear drifts; finite-difference Jacobians add d).</summary>
    public int DriftEvaluationsPerStep => 3;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => 1;

    /// <inheritdoc/>
    public void Start<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
    }

    /// <inheritdoc/>
    public void Step<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var kind = diffusion.Noise;
        double theta = Theta;
        var f0 = scratch.Slot(ImplicitSettings.DriftSlot, d * paths);
        var g = scratch.Slot(ImplicitSettings.DiffusionSlot, Noise.Rows(kind, d, m) * paths);
        var r = scratch.Slot(ImplicitSettings.RestSlot, d * paths);
        bool needsDrift = theta < 1 || drift is not IJacobian;
        if (needsDrift) drift.Evaluate(t, x, f0, paths);
        if (theta > 0) ImplicitStage.Factor(ref drift, scratch, t, x, f0, theta * h, paths);
        diffusion.Evaluate(t, x, g, paths);
        // r = X + (1 − θ) f(t, X) h + g ΔW: everything but the implicit drift.
        if (theta < 1) Rows.EulerStep(kind, d, m, x, f0, (1 - theta) * h, g, dW, r, paths);
        else
        {
            x.CopyTo(r);
            Rows.AddNoise(kind, d, m, g, dW, 1.0, r, paths);
        }
        r.CopyTo(x);
        if (theta == 0) return;
        ImplicitStage.Solve(ref drift, scratch, t + h, theta * h, r, x, paths, NewtonTolerance, MaxIterations);
        ImplicitStage.MarkFailures(scratch, x, paths);
    }
}
