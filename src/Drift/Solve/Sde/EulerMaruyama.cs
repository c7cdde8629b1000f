namespace Drift.Solve.Sde;

/// <summary>
/// Euler–Maruyama for Itô SDEs: X_{n+1} = X_n + f(t_n, X_n) h + g(t_n, X_n) ΔW_n.
/// Strong order ½ (1 for additive noise), weak order 1; any noise kind.
/// </summary>
public readonly struct EulerMaruyama : IItoSolver<EulerMaruyama, IGeneralNoise>, IStratonovichSolver<EulerMaruyama, IAdditiveNoise>
{
    /// <inheritdoc/>
    public string Name => "euler";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => noise == NoiseKind.Additive ? 1.0 : 0.5;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => calculus == Calculus.Ito || noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public int DriftEvaluationsPerStep => 1;
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
        var k = scratch.Slot(0, d * paths);
        var g = scratch.Slot(1, Noise.Rows(kind, d, m) * paths);
        drift.Evaluate(t, x, k, paths);
        diffusion.Evaluate(t, x, g, paths);
        Rows.EulerStep(kind, d, m, x, k, h, g, dW, x, paths);
    }
}
