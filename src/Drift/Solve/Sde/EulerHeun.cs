namespace Drift.Solve.Sde;

/// <summary>
/// Euler–Heun (stochastic Heun) for Stratonovich SDEs: predictor X̃ = X + f h + g ΔW, then
/// X_{n+1} = X + ½(f(X) + f(X̃)) h + ½(g(X) + g(X̃)) ΔW.
/// Strong order 1 for commutative noise (scalar, diagonal, additive), ½ for general noise; weak order 1.
/// </summary>
public readonly struct EulerHeun : IStratonovichSolver<EulerHeun, IGeneralNoise>, IItoSolver<EulerHeun, IAdditiveNoise>
{
    /// <inheritdoc/>
    public string Name => "heun";
    /// <inheritdoc/>
    public double StrongOrder(NoiseKind noise) => noise == NoiseKind.General ? 0.5 : 1.0;
    /// <inheritdoc/>
    public double WeakOrder => 1.0;
    /// <inheritdoc/>
    public bool Supports(NoiseKind noise, Calculus calculus) => calculus == Calculus.Stratonovich || noise == NoiseKind.Additive;
    /// <inheritdoc/>
    public bool NeedsLevyArea => false;
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
    {
        int d = drift.Dimension, m = diffusion.NoiseDimension;
        var kind = diffusion.Noise;
        int gRows = Noise.Rows(kind, d, m) * paths;
        var k0 = scratch.Slot(0, d * paths);
        var g0 = scratch.Slot(1, gRows);
        var predictor = scratch.Slot(2, d * paths);
        var k1 = scratch.Slot(3, d * paths);
        var g1 = scratch.Slot(4, gRows);
        drift.Evaluate(t, x, k0, paths);
        diffusion.Evaluate(t, x, g0, paths);
        Rows.EulerStep(kind, d, m, x, k0, h, g0, dW, predictor, paths);
        drift.Evaluate(t + h, predictor, k1, paths);
        diffusion.Evaluate(t + h, predictor, g1, paths);
        Rows.AddScaled(x, k0, 0.5 * h, x);
        Rows.AddScaled(x, k1, 0.5 * h, x);
        Rows.AddNoise(kind, d, m, g0, dW, 0.5, x, paths);
        Rows.AddNoise(kind, d, m, g1, dW, 0.5, x, paths);
    }
}
