using Drift.Solve;

namespace Drift.Models.Finance;

/// <summary>
/// The Heston model on the state (ln S, v) with full truncation (Lord et al. 2010):
/// d ln S = (r − v⁺/2) dt + √(v⁺) dW₁, dv = κ(θ − v⁺) dt + ξ√(v⁺)(ρ dW₁ + √(1 − ρ²) dW₂), W₁, W₂ independent.
/// General noise (d = m = 2); Euler–Maruyama on it is the full-truncation Euler scheme.
/// </summary>
/// <param name="parameters">The model; <see cref="InitialState"/> gives (ln S₀, v₀).</param>
public readonly struct Heston(HestonParameters parameters) : IDrift, IGeneralNoise
{
    private readonly double _rate = parameters.Rate, _kappa = parameters.Kappa, _theta = parameters.Theta, _xi = parameters.Xi, _rho = parameters.Rho;

    /// <summary>(ln S₀, v₀).</summary>
    public double[] InitialState { get; } = [Math.Log(parameters.Spot), parameters.Variance];
    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => 2;
    /// <inheritdoc/>
    public int NoiseDimension => 2;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.General;

    /// <summary>True: the drift and the diffusion do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes (r − v⁺/2, κ(θ − v⁺)).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            double v = Math.Max(x[paths + p], 0);
            dx[p] = _rate - 0.5 * v;
            dx[paths + p] = _kappa * (_theta - v);
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        double rhoBar = Math.Sqrt(1 - _rho * _rho);
        for (int p = 0; p < paths; p++)
        {
            double root = Math.Sqrt(Math.Max(x[paths + p], 0));
            g[p] = root;
            g[paths + p] = 0;
            g[2 * paths + p] = _xi * _rho * root;
            g[3 * paths + p] = _xi * rhoBar * root;
        }
    }
}
