using Drift.Brownian.Fractional;
using Drift.Solve;

namespace Drift.Models;

/// <summary>
/// The Markov approximation of fractional Brownian motion (<see cref="MarkovFbmApproximation"/>) as an SDE the ordinary
/// solvers run: K components dY^k = −γ_k Y^k dt + dW driven by one Brownian motion (additive noise, g = column of ones),
/// Y₀ = 0; the fractional noise is B̂_t = Σ_k ω_k Y^k_t (<see cref="Read"/>). Append these components to a model's state
/// to drive it by B̂ (dX = … + σ dB̂ = … + σ Σ ω_k dY^k). Explicit solvers need a step well below 1/γ_K (the fastest
/// speed; choose it with the five-argument <see cref="MarkovFbmApproximation"/> constructor).
/// </summary>
public readonly struct MarkovFractionalNoise : IDrift, IAdditiveNoise
{
    private readonly double[] _speeds;
    private readonly double[] _weights;

    /// <summary>The SDE of <paramref name="approximation"/>.</summary>
    public MarkovFractionalNoise(MarkovFbmApproximation approximation)
    {
        ArgumentNullException.ThrowIfNull(approximation);
        _speeds = [.. approximation.Speeds];
        _weights = [.. approximation.Weights];
    }

    /// <inheritdoc cref="IDrift.Dimension"/>
    public int Dimension => _speeds.Length;

    /// <inheritdoc/>
    public int NoiseDimension => 1;

    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>True: −γ_k Y^k and the unit noise do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes −γ_k Y^k, component by component.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int k = 0; k < _speeds.Length; k++)
        {
            double gamma = -_speeds[k];
            var xs = x.Slice(k * paths, paths);
            var ds = dx.Slice(k * paths, paths);
            for (int p = 0; p < paths; p++) ds[p] = gamma * xs[p];
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..(_speeds.Length * paths)].Fill(1);

    /// <summary>B̂ = Σ_k ω_k Y^k for one path's state <paramref name="state"/> (K values).</summary>
    public double Read(ReadOnlySpan<double> state)
    {
        double sum = 0;
        for (int k = 0; k < _weights.Length; k++) sum += _weights[k] * state[k];
        return sum;
    }
}
