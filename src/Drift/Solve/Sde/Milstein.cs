using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// Derivative-free Milstein. Itô form (Kloeden &amp; Platen 1992, §11.1), with the support value
/// Υ = X + f h + g √h:
/// X_{n+1} = X + f h + g ΔW + (g(Υ) − g(X)) (ΔW² − h) / (2√h).
/// Stratonovich form, with Υ± = X ± g √h (a central difference, whose O(h) bias has mean O(h²) per
/// step; the one-sided difference would leave an O(√h) drift since ΔW² has non-zero mean):
/// X_{n+1} = X + f h + g ΔW + (g(Υ+) − g(Υ−)) ΔW² / (4√h).
/// Strong order 1, weak order 1, for scalar noise and for diagonal noise whose g_i depends on x_i
/// only (the commutative case, where no Lévy area is needed). Additive noise (g of t alone, any
/// layout, either calculus) makes the correction vanish: the step is then Euler–Maruyama's, which
/// has strong order 1 there.
/// </summary>
/// <param name="calculus">The calculus the solver integrates; it must match the problem's. The type declares diagonal noise in both
/// calculi (<see cref="IItoSolver{TSelf, TNoise}"/>, <see cref="IStratonovichSolver{TSelf, TNoise}"/>): this argument is a value the
/// type cannot see, so a mismatch with a typed problem's calculus is caught at run time.</param>
public readonly struct Milstein(Calculus calculus) : IItoSolver<Milstein, IDiagonalNoise>, IStratonovichSolver<Milstein, IDiagonalNoise>
{
    /// <summary>The calculus this instance integrates.</summary>
    public Calculus Calculus { get; } = calculus;
    /// <inheritdoc/>
    public string Name => Calculus == Calculus.Ito ? "milstein" : "milstein-strat";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => 1.0;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) =>
        noise == NoiseKind.Additive || (calculus == Calculus && noise is NoiseKind.Scalar or NoiseKind.Diagonal);
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public int DriftEvaluationsPerStep => 1;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => Calculus == Calculus.Ito ? 2 : 3;

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
        var kind = diffusion.Noise;
        if (kind is NoiseKind.Additive or NoiseKind.General)
        {
            // Accepted only for additive noise (Supports), where g(Υ) = g(X) and Milstein is Euler–Maruyama.
            var f = scratch.Slot(0, d * paths);
            var gm = scratch.Slot(1, Noise.Rows(kind, d, diffusion.NoiseDimension) * paths);
            drift.Evaluate(t, x, f, paths);
            diffusion.Evaluate(t, x, gm, paths);
            Rows.AddScaled(x, f, h, x);
            Rows.AddNoise(kind, d, diffusion.NoiseDimension, gm, dW, 1.0, x, paths);
            return;
        }
        var k = scratch.Slot(0, d * paths);
        var g = scratch.Slot(1, d * paths);
        var support = scratch.Slot(2, d * paths);
        var gs = scratch.Slot(3, d * paths);
        drift.Evaluate(t, x, k, paths);
        diffusion.Evaluate(t, x, g, paths);
        double sqrtH = Math.Sqrt(h);
        double c, shift;
        // gs ← the difference of g that approximates √h·g·∂g/∂x (Itô: one-sided; Stratonovich: central, ×2).
        if (Calculus == Calculus.Ito)
        {
            Rows.AddScaled(x, k, h, support);
            Rows.AddScaled(support, g, sqrtH, support);
            diffusion.Evaluate(t, support, gs, paths);
            Rows.AddScaled(gs, g, -1.0, gs);
            (c, shift) = (0.5 / sqrtH, h);
        }
        else
        {
            var gMinus = scratch.Slot(4, d * paths);
            Rows.AddScaled(x, g, -sqrtH, support);
            diffusion.Evaluate(t, support, gMinus, paths);
            Rows.AddScaled(x, g, sqrtH, support);
            diffusion.Evaluate(t, support, gs, paths);
            Rows.AddScaled(gs, gMinus, -1.0, gs);
            (c, shift) = (0.25 / sqrtH, 0.0);
        }
        for (int i = 0; i < d; i++)
        {
            var xi = x.Slice(i * paths, paths);
            var w = kind == NoiseKind.Scalar ? dW[..paths] : dW.Slice(i * paths, paths);
            Elementwise.Map(new EulerNoise(h), xi, k.Slice(i * paths, paths), g.Slice(i * paths, paths), w, xi);
            Elementwise.Map(new MilsteinCorrection(c, shift), xi, gs.Slice(i * paths, paths), w, xi);
        }
    }
}
