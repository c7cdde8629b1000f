using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// SKenCarp (Rackauckas &amp; Nie 2017, "Stability-optimized high order methods and stiffness detection for pathwise
/// stiff stochastic differential equations", arXiv:1804.04344, §5): a stochastic Runge–Kutta method for additive noise
/// whose drift part is the four-stage L-stable ESDIRK of KenCarp3 (Kennedy &amp; Carpenter 2003, ARK3(2)4L[2]SA,
/// implicit tableau), with noise injected in stages 2 and 4 so that the SRA order conditions for strong order 1.5 hold.
/// With zᵢ = h f(t + cᵢh, Yᵢ), χ = I₍₁,₀₎/h = H + ΔW/2 and g₁ = g(t), g₄ = g(t + h):
/// <code>
/// z₁ = h f(t, X)
/// Y₂ = X + γz₁ + γz₂ + β₂₁ χ g₁                       (c₂ = 2γ)
/// Y₃ = X + a₃₁z₁ + a₃₂z₂ + γz₃                          (c₃ = 3/5)
/// Y₄ = X + a₄₁z₁ + a₄₂z₂ + a₄₃z₃ + γz₄ + β₄₃ χ g₁     (c₄ = 1)
/// X_{n+1} = X + a₄₁z₁ + a₄₂z₂ + a₄₃z₃ + γz₄ + g₄ (ΔW − χ) + g₁ χ
/// </code>
/// Each implicit stage Yᵢ = rᵢ + γh f(t + cᵢh, Yᵢ) is solved by simplified Newton with one iteration matrix
/// I − γhJ(t, X) per step (<see cref="ImplicitStage"/>), so stiff drifts take steps the explicit SRA1 cannot.
/// Strong order 1.5 and weak order 2 for additive noise (Itô = Stratonovich there).
/// </summary>
/// <remarks>
/// <para>Tableau (Kennedy &amp; Carpenter's rationals): γ = 1767732205903/4055673282236,
/// a₃₁ = 2746238789719/10658868560708, a₃₂ = −640167445237/6845629431997, a₄₁ = 1471266399579/7840856788654,
/// a₄₂ = −4482444167858/7529755066697, a₄₃ = 11266239266428/11593286722821; embedded weights
/// b̂ = (2756255671327/12835298489170, −10771552573575/22201958757719, 9247589265047/10645013368117,
/// 2193209047091/5459859503100). Noise coefficients (Rackauckas &amp; Nie; they solve α·B₀e = 1 and
/// α·(B₀e)² = 3/2 with α = (a₄₁, a₄₂, a₄₃, γ)): β₂₁ = −12.246764387585056, β₄₃ = −14.432096958608753.</para>
/// <para>Error terms for the adaptive loop: E₁ = Σ (b̂ᵢ − bᵢ) zᵢ, the ESDIRK's embedded second-order estimate
/// (O(h³) without noise, O(h^{3/2}) with it), in place of the paper's E₁ = Σ zᵢ, the drift increment itself, which does
/// not vanish faster than the step (see <see cref="Sra1"/>); E₂ = χ (g₁ − g₄) as for SRA1. A path whose Newton
/// iteration fails gets a NaN state; the adaptive loop then retries a smaller step and, at the minimum step, reports
/// <see cref="SolveStatus.NotConverged"/> or <see cref="SolveStatus.SingularJacobian"/>.</para>
/// </remarks>
public readonly struct SKenCarp : IEmbeddedSdeSolver, IItoSolver<SKenCarp, IAdditiveNoise>, IStratonovichSolver<SKenCarp, IAdditiveNoise>
{
    internal const double Gamma = 1767732205903.0 / 4055673282236.0;
    internal const double A31 = 2746238789719.0 / 10658868560708.0, A32 = -640167445237.0 / 6845629431997.0;
    internal const double A41 = 1471266399579.0 / 7840856788654.0, A42 = -4482444167858.0 / 7529755066697.0, A43 = 11266239266428.0 / 11593286722821.0;
    internal const double Bhat1 = 2756255671327.0 / 12835298489170.0, Bhat2 = -10771552573575.0 / 22201958757719.0,
        Bhat3 = 9247589265047.0 / 10645013368117.0, Bhat4 = 2193209047091.0 / 5459859503100.0;
    internal const double C2 = 2 * Gamma, C3 = 0.6;
    internal const double Noise21 = -12.246764387585056, Noise43 = -14.432096958608753;

    // Scratch: slots 5–10 ImplicitStage, 11 z₁, 13 the stage's r; the rest here.
    private const int Z2 = 14, Z3 = 15, Z4 = 19, Start0 = 20, G1 = 21, G4 = 22, Area = 23, Rest = 24;

    private readonly double _tolerance;
    private readonly int _maxIterations;

    /// <summary>SKenCarp with the given Newton settings.</summary>
    /// <param name="newtonTolerance">Stop a stage's Newton iteration when its estimated remaining error, scaled by 1 + |x|, is below this (default 10⁻⁹).</param>
    /// <param name="maxIterations">Newton iterations allowed per stage (default 10).</param>
    /// <exception cref="ArgumentException">A tolerance that is not positive and finite, or fewer than 1 iteration.</exception>
    public SKenCarp(double newtonTolerance = ImplicitEulerMaruyama.DefaultTolerance, int maxIterations = ImplicitEulerMaruyama.DefaultIterations)
    {
        ImplicitSettings.Check(1.0, newtonTolerance, maxIterations);
        _tolerance = newtonTolerance;
        _maxIterations = maxIterations;
    }

    /// <summary>The Newton stopping tolerance.</summary>
    public double NewtonTolerance => _tolerance > 0 ? _tolerance : ImplicitEulerMaruyama.DefaultTolerance;
    /// <summary>Newton iterations allowed per stage.</summary>
    public int MaxIterations => _maxIterations > 0 ? _maxIterations : ImplicitEulerMaruyama.DefaultIterations;
    /// <inheritdoc/>
    public string Name => "skencarp";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.5;
    /// <inheritdoc/>
    public double WeakOrder => 2.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => true;
    /// <summary>Nominal drift evaluations per step: z₁ and two Newton iterations in each of three stages (finite-difference Jacobians add d).</summary>
    public int DriftEvaluationsPerStep => 7;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => 2;

    /// <inheritdoc/>
    public void Start<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
    }

    /// <inheritdoc/>
    public void Step<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
        => StepWithError(ref drift, ref diffusion, scratch, t, h, dW, levy, x, paths, default, default);

    /// <inheritdoc/>
    public void StepWithError<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths, Span<double> deterministicError, Span<double> stochasticError)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        int d = drift.Dimension, m = diffusion.NoiseDimension, n = d * paths;
        var kind = diffusion.Noise;
        int gRows = Noise.Rows(kind, d, m) * paths;
        var z1 = scratch.Slot(ImplicitSettings.DriftSlot, n);
        var r = scratch.Slot(ImplicitSettings.RestSlot, n);
        var z2 = scratch.Slot(Z2, n);
        var z3 = scratch.Slot(Z3, n);
        var z4 = scratch.Slot(Z4, n);
        var x0 = scratch.Slot(Start0, n);
        var g1 = scratch.Slot(G1, gRows);
        var g4 = scratch.Slot(G4, gRows);
        var area = scratch.Slot(Area, m * paths);   // χ = I(1,0)/h
        var rest = scratch.Slot(Rest, m * paths);   // ΔW − χ
        Elementwise.Map(new Combine2(1.0, 0.5), levy[..(m * paths)], dW[..(m * paths)], area);
        Elementwise.Map(new Combine2(1.0, -1.0), dW[..(m * paths)], area, rest);
        double gh = Gamma * h;

        x.CopyTo(x0);
        drift.Evaluate(t, x0, z1, paths);
        ImplicitStage.Factor(ref drift, scratch, t, x0, z1, gh, paths);
        Elementwise.Map(new Combine2(h, 0.0), z1, z1, z1); // z₁ = h f(t, X)
        diffusion.Evaluate(t, x0, g1, paths);
        diffusion.Evaluate(t + h, x0, g4, paths);

        // Stage 2: r = X + γz₁ + β₂₁χg₁; Y₂ = r + γh f(t + c₂h, Y₂); z₂ = (Y₂ − r)/γ.
        Rows.AddScaled(x0, z1, Gamma, r);
        Rows.AddNoise(kind, d, m, g1, area, Noise21, r, paths);
        SolveStage(ref drift, scratch, t + C2 * h, gh, r, x, z2, paths);
        // Stage 3: r = X + a₃₁z₁ + a₃₂z₂.
        Elementwise.Map(new Combine4(1.0, A31, A32, 0.0), x0, z1, z2, z2, r);
        SolveStage(ref drift, scratch, t + C3 * h, gh, r, x, z3, paths);
        // Stage 4: r = X + a₄₁z₁ + a₄₂z₂ + a₄₃z₃ + β₄₃χg₁.
        Elementwise.Map(new Combine4(1.0, A41, A42, A43), x0, z1, z2, z3, r);
        Rows.AddNoise(kind, d, m, g1, area, Noise43, r, paths);
        SolveStage(ref drift, scratch, t + h, gh, r, x, z4, paths);

        if (!deterministicError.IsEmpty)
        {
            var e1 = deterministicError[..n];
            Elementwise.Map(new Combine4(Bhat1 - A41, Bhat2 - A42, Bhat3 - A43, Bhat4 - Gamma), z1, z2, z3, z4, e1);
        }
        if (!stochasticError.IsEmpty)
        {
            var e2 = stochasticError[..n];
            e2.Clear();
            Rows.AddNoise(kind, d, m, g1, area, 1.0, e2, paths);
            Rows.AddNoise(kind, d, m, g4, area, -1.0, e2, paths);
        }
        // X_{n+1} = X + a₄₁z₁ + a₄₂z₂ + a₄₃z₃ + γz₄ + g₄(ΔW − χ) + g₁χ.
        Elementwise.Map(new Combine4(1.0, A41, A42, A43), x0, z1, z2, z3, x);
        Rows.AddScaled(x, z4, Gamma, x);
        Rows.AddNoise(kind, d, m, g4, rest, 1.0, x, paths);
        Rows.AddNoise(kind, d, m, g1, area, 1.0, x, paths);
        ImplicitStage.MarkFailures(scratch, x, paths);
    }

    /// <summary>Y = r + γh f(t, Y) from the guess Y = r (z = 0), then z = (Y − r)/γ = h f(t, Y); <paramref name="y"/> is work space.</summary>
    private void SolveStage<TDrift>(ref TDrift drift, SolverScratch scratch, double t, double gh, ReadOnlySpan<double> r, Span<double> y, Span<double> z, int paths)
        where TDrift : struct, IDrift
    {
        int n = drift.Dimension * paths;
        r.CopyTo(y);
        ImplicitStage.Solve(ref drift, scratch, t, gh, r, y[..n], paths, NewtonTolerance, MaxIterations);
        Elementwise.Map(new Combine2(1.0 / Gamma, -1.0 / Gamma), y[..n], r, z);
    }
}
