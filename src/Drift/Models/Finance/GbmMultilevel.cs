using Drift.Ensembles.Multilevel;
using Drift.Random;

namespace Drift.Models.Finance;

/// <summary>Time-stepping scheme of a multilevel level.</summary>
public enum MultilevelScheme
{
    /// <summary>Euler–Maruyama: strong order ½, level variance V_ℓ = O(2^{−ℓ}) (β = 1).</summary>
    Euler,

    /// <summary>Milstein: strong order 1, V_ℓ = O(2^{−2ℓ}) for Lipschitz payoffs (β = 2).</summary>
    Milstein,
}

/// <summary>
/// Multilevel coupling for a European option under Black–Scholes, dS = rS dt + σS dW on [0, T], with 2^ℓ steps of size
/// h = T/2^ℓ on level ℓ (Giles 2008, §5): the fine path takes normals z_k (Philox stream = sample index under a key
/// derived from (seed, ℓ)), the coarse path the summed increments ΔW_c = ΔW_{2k} + ΔW_{2k+1} over steps of 2h.
/// Euler: S += rSh + σSΔW; Milstein adds ½σ²S(ΔW² − h). Payoff e^{−rT}(S_T − K)⁺ or (K − S_T)⁺; cost C_ℓ = 2^ℓ + 2^{ℓ−1}
/// path steps (fine plus coarse; 1 on level 0).
/// </summary>
public readonly struct GbmMultilevel : IMultilevelSampler
{
    private readonly double _spot, _strike, _maturity, _rate, _volatility;
    private readonly OptionKind _kind;
    private readonly MultilevelScheme _scheme;
    private readonly ulong _seed;

    /// <summary>A sampler for the given market, option, scheme and seed.</summary>
    /// <exception cref="ArgumentException">Bad market data, option kind or scheme.</exception>
    public GbmMultilevel(double spot, double strike, double maturity, double rate, double volatility, OptionKind kind, MultilevelScheme scheme, ulong seed)
    {
        BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown option kind.");
        if (!Enum.IsDefined(scheme)) throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown scheme.");
        (_spot, _strike, _maturity, _rate, _volatility, _kind, _scheme, _seed) = (spot, strike, maturity, rate, volatility, kind, scheme, seed);
    }

    /// <inheritdoc/>
    public int ScratchLength(int level) => 1 << level;

    /// <inheritdoc/>
    public double Cost(int level) => level == 0 ? 1 : Math.Pow(2, level) + Math.Pow(2, level - 1);

    /// <inheritdoc/>
    public void Sample(int level, long sample, Span<double> scratch, out double fine, out double coarse)
    {
        int steps = 1 << level;
        var z = scratch[..steps];
        new PhiloxNormals(SeedMixer.Derive(_seed, 0x4D4C4D43UL + (ulong)level)).FillStream((ulong)sample, 0, z);
        double h = _maturity / steps, sqrtH = Math.Sqrt(h), r = _rate, sigma = _volatility;
        bool milstein = _scheme == MultilevelScheme.Milstein;
        double sf = _spot, sc = _spot;
        for (int k = 0; k < steps; k += 2)
        {
            double dw1 = sqrtH * z[k];
            sf += r * sf * h + sigma * sf * dw1 + (milstein ? 0.5 * sigma * sigma * sf * (dw1 * dw1 - h) : 0);
            if (level == 0) break;
            double dw2 = sqrtH * z[k + 1];
            sf += r * sf * h + sigma * sf * dw2 + (milstein ? 0.5 * sigma * sigma * sf * (dw2 * dw2 - h) : 0);
            double dw = dw1 + dw2, hc = 2 * h;
            sc += r * sc * hc + sigma * sc * dw + (milstein ? 0.5 * sigma * sigma * sc * (dw * dw - hc) : 0);
        }
        double discount = Math.Exp(-r * _maturity);
        fine = discount * Payoff(sf);
        coarse = level == 0 ? 0 : discount * Payoff(sc);
    }

    private double Payoff(double s) => _kind == OptionKind.Call ? Math.Max(s - _strike, 0) : Math.Max(_strike - s, 0);
}
