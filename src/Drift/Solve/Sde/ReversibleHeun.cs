using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// The reversible Heun method (Kidger, Foster, Li &amp; Lyons 2021, "Efficient and accurate gradients
/// for neural SDEs") for Stratonovich SDEs. It carries an auxiliary state X̂ with f̂ = f(t, X̂),
/// ĝ = g(t, X̂):
/// X̂′ = 2X − X̂ + f̂ h + ĝ ΔW,  X′ = X + ½(f̂ + f(t + h, X̂′)) h + ½(ĝ + g(t + h, X̂′)) ΔW.
/// The map (X, X̂) → (X′, X̂′) is algebraically invertible (<see cref="Backward{TDrift,TDiffusion}"/>),
/// so a solve can be run back to its start without storing the path. One drift and one
/// diffusion evaluation per step; strong order ½ for general noise and 1 for commutative noise
/// (scalar, additive, and diagonal noise with g_i depending on x_i only; measured 0.93 on GBM), weak order 1.
/// <para>Linear stability: on dX = λX dt a step maps (X̂, X) by a matrix M with tr M = 2λh and det M = −1, so
/// its eigenvalues μ = λh ± √(λ²h² + 1) have product −1. Both lie on the unit circle only for λh on the
/// imaginary interval [−i, i] (Kidger et al. 2021, §3); for any λ with Re λ ≠ 0 one exceeds 1 in modulus
/// (for real λ &lt; 0, |μ| = |λ|h + √(λ²h² + 1) ≈ e^{|λ|h}), so a parasitic mode grows like e^{|Re λ| t}
/// whatever the step. Every dissipative system (trace of ∂f/∂x &lt; 0, e.g. Lorenz-63, trace −(σ + 1 + β))
/// therefore blows up: this is the method's stability region, not a defect. Use it for conservative or
/// neutral dynamics, or short horizons; <see cref="ParasiticGrowthRate{TDrift}"/> tells before a run.</para>
/// </summary>
public readonly struct ReversibleHeun : IStratonovichSolver<ReversibleHeun, IGeneralNoise>, IItoSolver<ReversibleHeun, IAdditiveNoise>
{
    private const int Buffers = 6; // slots 0..2 and 3..5: (X̂, f̂, ĝ) double-buffered

    /// <inheritdoc/>
    public string Name => "reversible-heun";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => noise == NoiseKind.General ? 0.5 : 1.0;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => calculus == Calculus.Stratonovich || noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public int DriftEvaluationsPerStep => 1;
    /// <inheritdoc/>
    public int DiffusionEvaluationsPerStep => 1;

    /// <summary>
    /// A lower bound on the growth rate of the method's parasitic mode near (t, x): max(0, −tr J / d), J = ∂f/∂x
    /// by central differences (step 10⁻⁶·max(1, |x_i|)). The mean of the eigenvalues' real parts is tr J / d, so
    /// some eigenvalue has Re λ ≤ tr J / d and its parasitic mode grows at least like e^{rate·t}; 0 means no
    /// dissipation was detected at this point (the run may still be unstable elsewhere).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have d entries.</exception>
    public static double ParasiticGrowthRate<TDrift>(TDrift drift, double t, ReadOnlySpan<double> x) where TDrift : struct, IDrift
    {
        int d = drift.Dimension;
        if (x.Length != d) throw new ArgumentException($"the state needs {d} entries, got {x.Length}.", nameof(x));
        Span<double> y = stackalloc double[d], fp = stackalloc double[d], fm = stackalloc double[d];
        double trace = 0;
        for (int i = 0; i < d; i++)
        {
            double e = 1e-6 * Math.Max(1.0, Math.Abs(x[i]));
            x.CopyTo(y);
            y[i] = x[i] + e;
            drift.Evaluate(t, y, fp, 1);
            y[i] = x[i] - e;
            drift.Evaluate(t, y, fm, 1);
            trace += (fp[i] - fm[i]) / (2 * e);
        }
        return double.IsFinite(trace) ? Math.Max(0, -trace / d) : 0;
    }

    /// <inheritdoc/>
    public void Start<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        int d = drift.Dimension;
        int gRows = Noise.Rows(diffusion.Noise, d, diffusion.NoiseDimension) * paths;
        scratch.Phase = 0;
        x.CopyTo(scratch.Slot(0, d * paths));
        drift.Evaluate(t, x, scratch.Slot(1, d * paths), paths);
        diffusion.Evaluate(t, x, scratch.Slot(2, gRows), paths);
    }

    /// <inheritdoc/>
    public void Step<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var kind = diffusion.Noise;
        int gRows = Noise.Rows(kind, d, m) * paths;
        int a = scratch.Phase == 0 ? 0 : 3, b = 3 - a;
        var yHat = scratch.Slot(a, d * paths);
        var f = scratch.Slot(a + 1, d * paths);
        var g = scratch.Slot(a + 2, gRows);
        var yHatNext = scratch.Slot(b, d * paths);
        var fNext = scratch.Slot(b + 1, d * paths);
        var gNext = scratch.Slot(b + 2, gRows);

        // X̂′ = 2X − X̂ + f̂ h + ĝ ΔW
        Elementwise.Map(new Combine4(2.0, -1.0, h, 0.0), x, yHat, f, f, yHatNext);
        Rows.AddNoise(kind, d, m, g, dW, 1.0, yHatNext, paths);
        drift.Evaluate(t + h, yHatNext, fNext, paths);
        diffusion.Evaluate(t + h, yHatNext, gNext, paths);
        // X′ = X + ½(f̂ + f̂′) h + ½(ĝ + ĝ′) ΔW
        Elementwise.Map(new Combine4(1.0, 0.5 * h, 0.5 * h, 0.0), x, f, fNext, fNext, x);
        Rows.AddNoise(kind, d, m, g, dW, 0.5, x, paths);
        Rows.AddNoise(kind, d, m, gNext, dW, 0.5, x, paths);
        scratch.Phase = 1 - scratch.Phase;
    }

    /// <summary>
    /// Inverts the last <see cref="Step{TDrift,TDiffusion}"/>: from the state at t + h (in
    /// <paramref name="x"/> and the scratch) and the same ΔW, recovers the state at t in place.
    /// </summary>
    public void Backward<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, Span<double> x, int paths)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        ArgumentNullException.ThrowIfNull(scratch);
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var kind = diffusion.Noise;
        int gRows = Noise.Rows(kind, d, m) * paths;
        int a = scratch.Phase == 0 ? 0 : 3, b = 3 - a;
        var yHat = scratch.Slot(a, d * paths);
        var f = scratch.Slot(a + 1, d * paths);
        var g = scratch.Slot(a + 2, gRows);
        var yHatPrev = scratch.Slot(b, d * paths);
        var fPrev = scratch.Slot(b + 1, d * paths);
        var gPrev = scratch.Slot(b + 2, gRows);

        // X̂ = 2X′ − X̂′ − f̂′ h − ĝ′ ΔW
        Elementwise.Map(new Combine4(2.0, -1.0, -h, 0.0), x, yHat, f, f, yHatPrev);
        Rows.AddNoise(kind, d, m, g, dW, -1.0, yHatPrev, paths);
        drift.Evaluate(t, yHatPrev, fPrev, paths);
        diffusion.Evaluate(t, yHatPrev, gPrev, paths);
        // X = X′ − ½(f̂ + f̂′) h − ½(ĝ + ĝ′) ΔW
        Elementwise.Map(new Combine4(1.0, -0.5 * h, -0.5 * h, 0.0), x, f, fPrev, fPrev, x);
        Rows.AddNoise(kind, d, m, g, dW, -0.5, x, paths);
        Rows.AddNoise(kind, d, m, gPrev, dW, -0.5, x, paths);
        scratch.Phase = 1 - scratch.Phase;
    }
}
