using Drift.Ensembles.Multilevel;
using Drift.Random;

namespace Drift.Models.Finance;

/// <summary>
/// Multilevel coupling for a European option under Heston with full-truncation Euler on (ln S, v) (Lord, Koekkoek &amp;
/// van Dijk 2010): x += (r − v⁺/2)h + √(v⁺) ΔW₁, v += κ(θ − v⁺)h + ξ√(v⁺)(ρΔW₁ + √(1 − ρ²)ΔW₂), n₀·2^ℓ steps of
/// h = T/(n₀2^ℓ) on level ℓ. The fine path draws 2n₀2^ℓ normals per sample (Philox stream = sample index, key from
/// (seed, ℓ)); the coarse path uses the sums of consecutive fine increments of both Brownian motions. Cost
/// C_ℓ = n₀(2^ℓ + 2^{ℓ−1}) path steps (n₀ on level 0).
/// </summary>
/// <remarks>
/// <para>The coarsest grid n₀ matters: with κh ≥ 1 the Euler mean reversion v += κ(θ − v)h overshoots θ, so levels
/// with κh ≳ 1 are far from the asymptotic regime (their mean corrections even change sign) and, if kept, they
/// spoil the fitted weak rate α and Giles' bias test, which then adds levels at random and hides the cost exponents.
/// The default n₀ is the least power of two with κT/n₀ ≤ ½ (at most 64).</para>
/// <para>Pin <see cref="MultilevelOptions.Alpha"/> = 1 (Euler's weak order): the level means of this problem sit near their
/// sampling noise at the levels the bias test looks at, and an α fitted to them misplaces the finest level.</para>
/// <para>Rates: Euler's level variance decays at β ≈ 1 (strong order ½) when the Feller condition 2κθ ≥ ξ² holds, and
/// more slowly otherwise (the square root is only Hölder-½ at v = 0); cost rate γ = 1, so MLMC costs
/// O(ε⁻²(log ε)²). The weak error decays at α = 1 asymptotically, and plain Monte Carlo costs O(ε^{−2−1/α}).</para>
/// </remarks>
public readonly struct HestonMultilevel : IMultilevelSampler
{
    private readonly HestonParameters _model;
    private readonly double _strike, _maturity;
    private readonly OptionKind _kind;
    private readonly ulong _seed;
    private readonly int _coarseSteps;

    /// <summary>A sampler for the given model, option and seed.</summary>
    /// <param name="model">Heston parameters.</param>
    /// <param name="strike">Strike K.</param>
    /// <param name="maturity">Maturity T in years.</param>
    /// <param name="kind">Call or put.</param>
    /// <param name="seed">Philox seed.</param>
    /// <param name="coarseSteps">Steps n₀ of level 0; 0 (the default) takes the least power of two with κT/n₀ ≤ ½, at most 64.</param>
    /// <exception cref="ArgumentException">Bad parameters, option or step count.</exception>
    public HestonMultilevel(HestonParameters model, double strike, double maturity, OptionKind kind, ulong seed, int coarseSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        BlackScholes.Validate(model.Spot, strike, maturity, model.Rate, 1);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown option kind.");
        if (coarseSteps is < 0 or > MaxCoarseSteps) throw new ArgumentOutOfRangeException(nameof(coarseSteps), coarseSteps, $"coarse steps must be in 0..{MaxCoarseSteps} (0 = automatic).");
        if (coarseSteps == 0)
        {
            coarseSteps = 1;
            while (coarseSteps < 64 && model.Kappa * maturity / coarseSteps > 0.5) coarseSteps *= 2;
        }
        (_model, _strike, _maturity, _kind, _seed, _coarseSteps) = (model, strike, maturity, kind, seed, coarseSteps);
    }

    /// <summary>The largest n₀ accepted (a level's scratch holds 2n₀2^ℓ normals per sample).</summary>
    public const int MaxCoarseSteps = 4096;

    /// <summary>Steps n₀ of level 0.</summary>
    public int CoarseSteps => _coarseSteps;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The level's block would not fit in one array.</exception>
    public int ScratchLength(int level, int count)
    {
        long length = ((2L * _coarseSteps << level) + 3) * count;
        if (level > 40 || length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"level {level} with {_coarseSteps} coarse steps needs {length} doubles of scratch per block; lower MultilevelOptions.MaxLevel.");
        return (int)length;
    }

    /// <inheritdoc/>
    public double Cost(int level) => _coarseSteps * (level == 0 ? 1 : Math.Pow(2, level) + Math.Pow(2, level - 1));

    /// <inheritdoc/>
    public double FineCost(int level) => _coarseSteps * Math.Pow(2, level);

    /// <inheritdoc/>
    public void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse)
    {
        int steps = _coarseSteps << level, count = fine.Length;
        var z = scratch[..(2 * steps * count)]; // rows 2k, 2k + 1: the two normals of fine step k
        var xf = scratch.Slice(2 * steps * count, count);
        var vf = scratch.Slice((2 * steps + 1) * count, count);
        var xc = fine; // reused: the coarse log-price lives in 'fine' until the payoffs are taken
        var vc = coarse;
        new PhiloxNormals(SeedMixer.Derive(_seed, 0x48455354UL + (ulong)level)).FillAcrossStreams((ulong)firstSample, count, 0, 2 * steps, z, count);
        var m = _model;
        double h = _maturity / steps, sqrtH = Math.Sqrt(h), rhoBar = Math.Sqrt(1 - m.Rho * m.Rho), x0 = Math.Log(m.Spot);
        xf.Fill(x0); vf.Fill(m.Variance); xc.Fill(x0); vc.Fill(m.Variance);
        for (int k = 0; k < steps; k += level == 0 ? 1 : 2)
        {
            var a1 = z.Slice(2 * k * count, count);
            var b1 = z.Slice((2 * k + 1) * count, count);
            if (level == 0)
            {
                for (int p = 0; p < count; p++) Step(ref xf[p], ref vf[p], sqrtH * a1[p], sqrtH * b1[p], h, rhoBar);
                continue;
            }
            var a2 = z.Slice((2 * k + 2) * count, count);
            var b2 = z.Slice((2 * k + 3) * count, count);
            for (int p = 0; p < count; p++)
            {
                double w1 = sqrtH * a1[p], w2 = sqrtH * b1[p], u1 = sqrtH * a2[p], u2 = sqrtH * b2[p];
                Step(ref xf[p], ref vf[p], w1, w2, h, rhoBar);
                Step(ref xf[p], ref vf[p], u1, u2, h, rhoBar);
                Step(ref xc[p], ref vc[p], w1 + u1, w2 + u2, 2 * h, rhoBar);
            }
        }
        double discount = Math.Exp(-m.Rate * _maturity);
        for (int p = 0; p < count; p++)
        {
            double c = level == 0 ? 0 : discount * Payoff(Math.Exp(xc[p]));
            fine[p] = discount * Payoff(Math.Exp(xf[p]));
            coarse[p] = c;
        }
    }

    private void Step(ref double x, ref double v, double dw1, double dw2, double h, double rhoBar)
    {
        var m = _model;
        double vp = Math.Max(v, 0), sv = Math.Sqrt(vp);
        x += (m.Rate - 0.5 * vp) * h + sv * dw1;
        v += m.Kappa * (m.Theta - vp) * h + m.Xi * sv * (m.Rho * dw1 + rhoBar * dw2);
    }

    private double Payoff(double s) => _kind == OptionKind.Call ? Math.Max(s - _strike, 0) : Math.Max(_strike - s, 0);
}
