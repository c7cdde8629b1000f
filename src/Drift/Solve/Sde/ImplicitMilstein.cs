namespace Drift.Solve.Sde;

/// <summary>
/// Drift-implicit Milstein (θ-Milstein; Kloeden &amp; Platen 1992, §12.2; Higham 2000 for its stability):
/// X_{n+1} = X_n + [θ f(t_{n+1}, X_{n+1}) + (1 − θ) f(t_n, X_n)] h + g ΔW + ½ g g′ (ΔW² − h) (Itô),
/// with the derivative-free Milstein correction of <see cref="Milstein"/> (its Itô support value built from the explicit
/// share (1 − θ) f) and the implicit equation solved by simplified Newton as in <see cref="ImplicitEulerMaruyama"/>.
/// Strong order 1 and weak order 1 for scalar noise, diagonal noise with gᵢ depending on xᵢ only, and additive noise
/// (where it is the implicit Euler–Maruyama step). θ = 1 by default; θ = 0 is <see cref="Milstein"/>.
/// </summary>
/// <remarks>
/// On dX = λX dt + μX dW the derivative-free correction is ½μ(μ + (1 − θ)λ√h)·X·(ΔW² − h), so the step multiplies X by
/// (1 + (1 − θ)λh + μΔW + κ(ΔW² − h))/(1 − θλh), κ = ½μ(μ + (1 − θ)λ√h), and E|X_{n+1}|² = R·E|X_n|² with
/// R = ((1 + (1 − θ)λh)² + μ²h + 2κ²h²)/(1 − θλh)² (ΔW² − h has variance 2h²). At θ = 1, κ = μ²/2 and
/// R = (1 + μ²h + ½μ⁴h²)/(1 − λh)² (Higham 2000, §6): every stiff λ is damped as by implicit Euler.
/// A failed Newton iteration stops the path with <see cref="SolveStatus.NotConverged"/> or <see cref="SolveStatus.SingularJacobian"/>.
/// </remarks>
public readonly struct ImplicitMilstein : IItoSolver<ImplicitMilstein, IDiagonalNoise>, IStratonovichSolver<ImplicitMilstein, IDiagonalNoise>
{
    private readonly double _explicitShare;
    private readonly double _tolerance;
    private readonly int _maxIterations;

    /// <summary>The θ-Milstein method for the given calculus, implicitness and Newton settings.</summary>
    /// <param name="calculus">The calculus integrated; it must match the problem's.</param>
    /// <param name="theta">θ ∈ [0, 1]: the weight of the drift at the step's end.</param>
    /// <param name="newtonTolerance">Stop when the estimated remaining Newton error, scaled by 1 + |x|, is below this (default 10⁻⁹).</param>
    /// <param name="maxIterations">Newton iterations allowed per step (default 10).</param>
    /// <exception cref="ArgumentException">θ outside [0, 1], a tolerance that is not positive and finite, or fewer than 1 iteration.</exception>
    public ImplicitMilstein(Calculus calculus, double theta = 1.0, double newtonTolerance = ImplicitEulerMaruyama.DefaultTolerance,
        int maxIterations = ImplicitEulerMaruyama.DefaultIterations)
    {
        ImplicitSettings.Check(theta, newtonTolerance, maxIterations);
        Calculus = calculus;
        _explicitShare = 1.0 - theta;
        _tolerance = newtonTolerance;
        _maxIterations = maxIterations;
    }

    /// <summary>The calculus this instance integrates.</summary>
    public Calculus Calculus { get; }
    /// <summary>θ, the weight of the implicit drift.</summary>
    public double Theta => 1.0 - _explicitShare;
    /// <summary>The Newton stopping tolerance.</summary>
    public double NewtonTolerance => _tolerance > 0 ? _tolerance : ImplicitEulerMaruyama.DefaultTolerance;
    /// <summary>Newton iterations allowed per step.</summary>
    public int MaxIterations => _maxIterations > 0 ? _maxIterations : ImplicitEulerMaruyama.DefaultIterations;
    /// <inheritdoc/>
    public string Name => Calculus == Calculus.Ito ? "implicit-milstein" : "implicit-milstein-strat";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.0;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => new Milstein(Calculus).Supports(noise, calculus);
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <summary>Nominal drift evaluations per step: f(t_n, X_n), the explicit share inside the Milstein step (skipped at θ = 1) and two Newton iterations.</summary>
    public int DriftEvaluationsPerStep => 4;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => new Milstein(Calculus).DiffusionEvaluationsPerStep;

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
        int d = drift.Dimension;
        double theta = Theta;
        var r = scratch.Slot(ImplicitSettings.RestSlot, d * paths);
        if (theta > 0)
        {
            var f0 = scratch.Slot(ImplicitSettings.DriftSlot, d * paths);
            if (drift is not IJacobian) drift.Evaluate(t, x, f0, paths);
            ImplicitStage.Factor(ref drift, scratch, t, x, f0, theta * h, paths);
        }
        // r = the Milstein step with the explicit share of the drift (Milstein uses scratch slots 0–4).
        x.CopyTo(r);
        var share = new ScaledDrift<TDrift>(drift, 1 - theta);
        new Milstein(Calculus).Step(ref share, ref diffusion, scratch, t, h, dW, levy, r, paths);
        drift = share.Inner;
        r.CopyTo(x);
        if (theta == 0) return;
        ImplicitStage.Solve(ref drift, scratch, t + h, theta * h, r, x, paths, NewtonTolerance, MaxIterations);
        ImplicitStage.MarkFailures(scratch, x, paths);
    }
}
