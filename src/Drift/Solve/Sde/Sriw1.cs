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
/// and the embedded deterministic error E₁ = h(f₁ + f₂). Strong order 1.5, weak order 2.
/// Diagonal noise is taken component-wise (g_i depending on x_i only), as the method assumes.
/// </summary>
public readonly struct Sriw1 : IEmbeddedSdeSolver
{
    /// <inheritdoc/>
    public string Name => "sriw1";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.5;
    /// <inheritdoc/>
    public double WeakOrder => 2.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => calculus == Calculus.Ito && noise is NoiseKind.Scalar or NoiseKind.Diagonal;
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
        bool scalar = diffusion.Noise == NoiseKind.Scalar;
        double sqrtH = Math.Sqrt(h);
        var f1 = scratch.Slot(0, n);
        var f2 = scratch.Slot(1, n);
        var g1 = scratch.Slot(2, n);
        var g2 = scratch.Slot(3, n);
        var g3 = scratch.Slot(4, n);
        var g4 = scratch.Slot(5, n);
        var stage = scratch.Slot(6, n);
        var h0 = scratch.Slot(7, n);
        var mix = scratch.Slot(8, n);
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
        AddNoiseRows(scalar, d, paths, g1, chi2, 1.5, h0);
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
        drift.Evaluate(t + 0.75 * h, h0, f2, paths);

        // E₂ = χ₂(2g₁ − 4/3 g₂ − 2/3 g₃) + χ₃(−2g₁ + 5/3 g₂ − 2/3 g₃ + g₄)
        e2.Clear();
        Elementwise.Map(new Combine4(2.0, -4.0 / 3.0, -2.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        AddNoiseRows(scalar, d, paths, mix, chi2, 1.0, e2);
        Elementwise.Map(new Combine4(-2.0, 5.0 / 3.0, -2.0 / 3.0, 1.0), g1, g2, g3, g4, mix);
        AddNoiseRows(scalar, d, paths, mix, chi3, 1.0, e2);

        if (!deterministicError.IsEmpty)
            Elementwise.Map(new Combine2(h, h), f1, f2, deterministicError[..n]);

        // X′ = X + h(f₁ + 2f₂)/3 + ΔW(−g₁ + 4/3 g₂ + 2/3 g₃) + χ₁(−g₁ + 4/3 g₂ − 1/3 g₃) + E₂
        Elementwise.Map(new Combine4(1.0, h / 3.0, 2.0 * h / 3.0, 1.0), x, f1, f2, e2, x);
        Elementwise.Map(new Combine4(-1.0, 4.0 / 3.0, 2.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        AddNoiseRows(scalar, d, paths, mix, dW, 1.0, x);
        Elementwise.Map(new Combine4(-1.0, 4.0 / 3.0, -1.0 / 3.0, 0.0), g1, g2, g3, g3, mix);
        AddNoiseRows(scalar, d, paths, mix, chi1, 1.0, x);
    }

    /// <summary>y_i += c·g_i∘w_i, where w_i is the single noise row (scalar noise) or row i (diagonal).</summary>
    private static void AddNoiseRows(bool scalar, int d, int paths, ReadOnlySpan<double> g, ReadOnlySpan<double> w, double c, Span<double> y)
        => Rows.AddNoise(scalar ? NoiseKind.Scalar : NoiseKind.Diagonal, d, scalar ? 1 : d, g, w, c, y, paths);

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
