using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// SRA1 (Rößler 2010, "Runge–Kutta methods for the strong approximation of solutions of stochastic
/// differential equations", SIAM J. Numer. Anal. 48) for additive noise, using the space-time Lévy
/// area through I₍₁,₀₎/h = H + ΔW/2:
/// H₂ = X + ¾ f(t, X) h + 3/2 g(t + h) I₍₁,₀₎/h,
/// X_{n+1} = X + (⅓ f(t, X) + ⅔ f(t + ¾h, H₂)) h + g(t + h)(ΔW − I₍₁,₀₎/h) + g(t) I₍₁,₀₎/h.
/// Strong order 1.5, weak order 2; Itô and Stratonovich coincide for additive noise. Embedded
/// error terms: E₂ = (g(t) − g(t + h)) I₍₁,₀₎/h (Rackauckas &amp; Nie 2017) and
/// E₁ = ⅔h(f(t + ¾h, H₂) − f(t, X)), the difference between the method's drift part and Euler's
/// (O(h²) without noise, O(h^{3/2}) with it). Rackauckas &amp; Nie's E₁ = h(f₁ + f₂) is the drift
/// increment itself, O(h): where a component crosses zero, E₁/(atol + rtol·|X|) tends to 2δ/rtol as
/// h → 0, so no step passes and a small atol drove every path to the minimum step.
/// </summary>
public readonly struct Sra1 : IEmbeddedSdeSolver, IItoSolver<Sra1, IAdditiveNoise>, IStratonovichSolver<Sra1, IAdditiveNoise>
{
    /// <inheritdoc/>
    public string Name => "sra1";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.5;
    /// <inheritdoc/>
    public double WeakOrder => 2.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => true;
    /// <inheritdoc/>
    public int DriftEvaluationsPerStep => 2;
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
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var kind = diffusion.Noise;
        int gRows = Noise.Rows(kind, d, m) * paths;
        var f1 = scratch.Slot(0, d * paths);
        var f2 = scratch.Slot(1, d * paths);
        var stage = scratch.Slot(2, d * paths);
        var gStart = scratch.Slot(3, gRows);
        var gEnd = scratch.Slot(4, gRows);
        var area = scratch.Slot(5, m * paths);   // I(1,0)/h
        var rest = scratch.Slot(6, m * paths);   // ΔW − I(1,0)/h
        Elementwise.Map(new Combine2(1.0, 0.5), levy[..(m * paths)], dW[..(m * paths)], area);
        Elementwise.Map(new Combine2(1.0, -1.0), dW[..(m * paths)], area, rest);

        drift.Evaluate(t, x, f1, paths);
        diffusion.Evaluate(t, x, gStart, paths);
        diffusion.Evaluate(t + h, x, gEnd, paths);
        Rows.AddScaled(x, f1, 0.75 * h, stage);
        Rows.AddNoise(kind, d, m, gEnd, area, 1.5, stage, paths);
        drift.Evaluate(t + 0.75 * h, stage, f2, paths);

        if (!deterministicError.IsEmpty)
            Elementwise.Map(new Combine2(-2.0 * h / 3.0, 2.0 * h / 3.0), f1, f2, deterministicError[..(d * paths)]);
        if (!stochasticError.IsEmpty)
        {
            var e2 = stochasticError[..(d * paths)];
            e2.Clear();
            Rows.AddNoise(kind, d, m, gStart, area, 1.0, e2, paths);
            Rows.AddNoise(kind, d, m, gEnd, area, -1.0, e2, paths);
        }
        Elementwise.Map(new Combine4(1.0, h / 3.0, 2.0 * h / 3.0, 0.0), x, f1, f2, f2, x);
        Rows.AddNoise(kind, d, m, gEnd, rest, 1.0, x, paths);
        Rows.AddNoise(kind, d, m, gStart, area, 1.0, x, paths);
    }
}
