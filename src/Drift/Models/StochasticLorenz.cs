using Drift.Numerics;
using Drift.Solve;

namespace Drift.Models;

/// <summary>
/// The Lorenz-63 system with additive noise on each component:
/// dx = σ(y − x) dt + ε dW₁, dy = (x(ρ − z) − y) dt + ε dW₂, dz = (xy − βz) dt + ε dW₃
/// (Lorenz 1963; the classical chaotic parameters σ = 10, ρ = 28, β = 8/3). Diagonal noise with
/// constant amplitude ε; ε = 0 gives the deterministic flow.
/// </summary>
/// <param name="sigma">Prandtl number σ.</param>
/// <param name="rho">Rayleigh number ρ.</param>
/// <param name="beta">Geometric factor β.</param>
/// <param name="noise">Noise amplitude ε ≥ 0.</param>
public readonly struct StochasticLorenz(double sigma, double rho, double beta, double noise) : IDrift, IAdditiveNoise
{
    /// <summary>The classical chaotic parameters with noise amplitude ε.</summary>
    public static StochasticLorenz Classic(double noise) => new(10.0, 28.0, 8.0 / 3.0, noise);

    /// <summary>σ.</summary>
    public double Sigma { get; } = sigma;
    /// <summary>ρ.</summary>
    public double Rho { get; } = rho;
    /// <summary>β.</summary>
    public double Beta { get; } = beta;
    /// <summary>ε.</summary>
    public double NoiseAmplitude { get; } = noise;
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 3;
    /// <inheritdoc/>
    public int NoiseDimension => 3;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Diagonal;
    /// <summary>True: g = εI is constant (additive noise in a diagonal layout).</summary>
    public bool StateIndependent => true;
    /// <summary>True: neither the vector field nor εI depends on t.</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes the Lorenz vector field.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var px = x[..paths];
        var py = x.Slice(paths, paths);
        var pz = x.Slice(2 * paths, paths);
        Elementwise.Map(new LorenzX(Sigma), px, py, dx[..paths]);
        Elementwise.Map(new LorenzY(Rho), px, py, pz, dx.Slice(paths, paths));
        Elementwise.Map(new LorenzZ(Beta), px, py, pz, dx.Slice(2 * paths, paths));
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..(3 * paths)].Fill(NoiseAmplitude);

    private readonly struct LorenzX(double sigma) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD x, TD y) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.Multiply(TL.Broadcast(sigma), TL.Subtract(y, x));
    }

    private readonly struct LorenzY(double rho) : IElementwise3
    {
        public TD Apply<TL, TU, TD>(TD x, TD y, TD z) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.Subtract(TL.Multiply(x, TL.Subtract(TL.Broadcast(rho), z)), y);
    }

    private readonly struct LorenzZ(double beta) : IElementwise3
    {
        public TD Apply<TL, TU, TD>(TD x, TD y, TD z) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.MultiplyAdd(x, y, TL.Multiply(TL.Broadcast(-beta), z));
    }
}
