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
/// path steps (fine plus coarse; 1 on level 0). A block of samples is stepped together, vectorised across paths.
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
    public int ScratchLength(int level, int count) => ((1 << level) + 1) * count;

    /// <inheritdoc/>
    public double Cost(int level) => level == 0 ? 1 : Math.Pow(2, level) + Math.Pow(2, level - 1);

    /// <inheritdoc/>
    public void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse)
    {
        int steps = 1 << level, count = fine.Length;
        // z[k·count + p] is normal k of sample firstSample + p.
        var z = scratch[..(steps * count)];
        var sc = scratch.Slice(steps * count, count);
        new PhiloxNormals(SeedMixer.Derive(_seed, 0x4D4C4D43UL + (ulong)level)).FillAcrossStreams((ulong)firstSample, count, 0, steps, z, count);
        double h = _maturity / steps, sqrtH = Math.Sqrt(h), r = _rate, sigma = _volatility, half = 0.5 * sigma * sigma;
        double mf = _scheme == MultilevelScheme.Milstein ? half : 0;
        var sf = fine;
        sf.Fill(_spot);
        sc.Fill(_spot);
        if (level == 0)
        {
            for (int p = 0; p < count; p++)
            {
                double dw = sqrtH * z[p], s = sf[p];
                sf[p] = s + r * s * h + sigma * s * dw + mf * s * (dw * dw - h);
            }
        }
        else
        {
            double hc = 2 * h;
            for (int k = 0; k < steps; k += 2)
            {
                var z1 = z.Slice(k * count, count);
                var z2 = z.Slice((k + 1) * count, count);
                for (int p = 0; p < count; p++)
                {
                    double dw1 = sqrtH * z1[p], dw2 = sqrtH * z2[p], s = sf[p];
                    s += r * s * h + sigma * s * dw1 + mf * s * (dw1 * dw1 - h);
                    s += r * s * h + sigma * s * dw2 + mf * s * (dw2 * dw2 - h);
                    sf[p] = s;
                    double dw = dw1 + dw2, c = sc[p];
                    sc[p] = c + r * c * hc + sigma * c * dw + mf * c * (dw * dw - hc);
                }
            }
        }
        double discount = Math.Exp(-r * _maturity);
        for (int p = 0; p < count; p++)
        {
            fine[p] = discount * Payoff(sf[p]);
            coarse[p] = level == 0 ? 0 : discount * Payoff(sc[p]);
        }
    }

    private double Payoff(double s) => _kind == OptionKind.Call ? Math.Max(s - _strike, 0) : Math.Max(_strike - s, 0);
}
