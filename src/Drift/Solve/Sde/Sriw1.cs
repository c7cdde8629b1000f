using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// SRIW1 (Rößler 2010, SIAM J. Numer. Anal. 48; the weak-order-2 member of the SRI family as used
/// by Rackauckas &amp; Nie 2017) for Itô SDEs with scalar or diagonal noise. With
/// χ₁ = I₍₁,₁₎/√h = (ΔW² − h)/(2√h), χ₂ = I₍₁,₀₎/h = ΔW/2 + H, χ₃ = I₍₁,₁,₁₎/h = (ΔW³ − 3hΔW)/(6h):
/// H₀ = X + ¾hf₁ + 3/2 χ₂g₁, H₁₁ = X + ¼hf₁ + ½√h g₁, H₁₂ = X + hf₁ − √h g₁,
/// H₁₃ = X + ¼hf₁ + √h(−5g₁ + 3g₂ + ½g₃), with f₁ = f(t, X), f₂ = f(t + ¾h, H₀), g₁ = g(t, X),
/// g₂ = g(t + ¼h, H₁₁), g₃ = g(t + h, H₁₂), g₄ = g(t + ¼h, H₁₃);
/// E₂ = χ₂(2g₁ − 4/3 g₂ − 2/3 g₃) + χ₃(−2g₁ + 5/3 g₂ − 2/3 g₃ + g₄),
/// X′ = X + h(f₁ + 2f₂)/3 + ΔW(−g₁ + 4/3 g₂ + 2/3 g₃) + χ₁(−g₁ + 4/3 g₂ − 1/3 g₃) + E₂,
/// and the embedded deterministic error E₁ = ⅔h(f₂ − f₁), the difference between the method's drift
/// part and Euler's (O(h²) without noise). Rackauckas &amp; Nie (2017) use E₁ = h(f₁ + f₂), the drift
/// increment itself: it is O(h), so where a component crosses zero E₁/(atol + rtol·|X|) does not shrink
/// with h and a small atol forced the minimum step. Strong order 1.5, weak order 2.
/// Diagonal noise is taken component-wise (g_i depending on x_i only), as the method assumes.
/// Additive noise (g of t alone) is accepted in any layout and either calculus (they coincide): the
/// g-differences then vanish and no mixed iterated integrals are needed.
/// </summary>
public readonly struct Sriw1 : IEmbeddedSdeSolver, IItoSolver<Sriw1, IDiagonalNoise>, IStratonovichSolver<Sriw1, IAdditiveNoise>
{
    /// <inheritdoc/>
    public string Name => "sriw1";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.5;
    /// <inheritdoc/>
    public double WeakOrder => 2.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => noise == NoiseKind.Additive || (calculus == Calculus.Ito && noise is NoiseKind.Scalar or NoiseKind.Diagonal);
    /// <inheritdoc/>
    public bool NeedsLevyArea => true;
    /// <inheritdoc/>
    public int DriftEvaluationsPerStep => 2;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => 4;

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
        double sqrtH = Math.Sqrt(h);
        var f1 = scratch.Slot(0, n);
        var f2 = scratch.Slot(1, n);
        var g1 = scratch.Slot(2, gRows);
        var g2 = scratch.Slot(3, gRows);
        var g3 = scratch.Slot(4, gRows);
        var g4 = scratch.Slot(5, gRows);
        var stage = scratch.Slot(6, n);
        var h0 = scratch.Slot(7, n);
        var mix = scratch.Slot(8, gRows);
        var chi1 = scratch.Slot(9, m * paths);
        var chi2 = scratch.Slot(10, m * paths);
        var chi3 = scratch.Slot(11, m * paths);
        var e2 = stochasticError.IsEmpty ? scratch.Slot(12, n) : stochasticError[..n];
        int rows = m * paths;
        Elementwise.Map(new IteratedIntegrals(h), dW[..rows], dW[..rows], chi1);
        Elementwise.Map(new Combine2(0.5, 1.0), dW[..rows], levy[..rows], chi2);
        Elementwise.Map(new TripleIntegral(h), dW[..rows], dW[..rows], chi3);

        drift.Evaluate(t, x, f1, paths);
        diffusion.Evaluate(t, x, g1, paths);
        // H₀ = X + ¾h f₁ + 3/2 χ₂ g₁
        Rows.AddScaled(x, f1, 0.75 * h, h0);
        Rows.AddNoise(kind, d, m, g1, chi2, 1.5, h0, paths);
        if (kind is NoiseKind.Additive or NoiseKind.General)
        {
            // Additive layout (g a d × m matrix of t alone): the stages H₁ₖ only move g's state argument, so g is read at their times.
            diffusion.Evaluate(t + 0.25 * h, x, g2, paths);
            diffusion.Evaluate(t + h, x, g3, paths);
            g2.CopyTo(g4);
        }
        else
        {
            // H₁₁ = X + ¼h f₁ + ½√h g₁
            Rows.AddScaled(x, f1, 0.25 * h, stage);
            Rows.AddScaled(stage, g1, 0.5 * sqrtH, stage);
            diffusion.Evaluate(t + 0.25 * h, stage, g2, paths);
            // H₁₂ = X + h f₁ − √h g₁
            Rows.AddScaled(x, f1, h, stage);
            Rows.AddScaled(stage, g1, -sqrtH, stage);
            diffusion.Evaluate(t + h, stage, g3, paths);
            // H₁₃ = X + ¼h f₁ + √h(−5g₁ + 3g₂ + ½g₃)
            Elementwise.Map(new Combine4(-5.0, 3.0, 0.5, 0.0), g1, g2, g3, g3, mix);
            Rows.AddScaled(x, f1, 0.25 * h, stage);
            Rows.AddScaled(stage, mix, sqrtH, stage);
            diffusion.Evaluate(t + 0.25 * h, stage, g4, paths);
        }
        drift.Evaluate(t + 0.75 * h, h0, f2, paths);

        // E₂ = χ₂(2g₁ − 4/3 g₂ − 2/3 g₃) + χ₃(−2g₁ + 5/3 g₂ − 2/3 g₃ + g₄)
        e2.Clear();
        Elementwise.Map(new Combine4(2.0, -4.0 / 3.0, -2.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        Rows.AddNoise(kind, d, m, mix, chi2, 1.0, e2, paths);
        Elementwise.Map(new Combine4(-2.0, 5.0 / 3.0, -2.0 / 3.0, 1.0), g1, g2, g3, g4, mix);
        Rows.AddNoise(kind, d, m, mix, chi3, 1.0, e2, paths);

        if (!deterministicError.IsEmpty)
            Elementwise.Map(new Combine2(-2.0 * h / 3.0, 2.0 * h / 3.0), f1, f2, deterministicError[..n]);

        // X′ = X + h(f₁ + 2f₂)/3 + ΔW(−g₁ + 4/3 g₂ + 2/3 g₃) + χ₁(−g₁ + 4/3 g₂ − 1/3 g₃) + E₂
        Elementwise.Map(new Combine4(1.0, h / 3.0, 2.0 * h / 3.0, 1.0), x, f1, f2, e2, x);
        Elementwise.Map(new Combine4(-1.0, 4.0 / 3.0, 2.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        Rows.AddNoise(kind, d, m, mix, dW, 1.0, x, paths);
        Elementwise.Map(new Combine4(-1.0, 4.0 / 3.0, -1.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        Rows.AddNoise(kind, d, m, mix, chi1, 1.0, x, paths);
    }

    /// <summary>χ₁ = (ΔW² − h)/(2√h) (the second input is ignored).</summary>
    private readonly struct IteratedIntegrals(double h) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD w, TD unused) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.Multiply(TL.MultiplyAdd(w, w, TL.Broadcast(-h)), TL.Broadcast(0.5 / Math.Sqrt(h)));
    }

    /// <summary>χ₃ = (ΔW³ − 3hΔW)/(6h) (the second input is ignored).</summary>
    private readonly struct TripleIntegral(double h) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD w, TD unused) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.Multiply(TL.Multiply(w, TL.MultiplyAdd(w, w, TL.Broadcast(-3 * h))), TL.Broadcast(1.0 / (6 * h)));
    }
}
