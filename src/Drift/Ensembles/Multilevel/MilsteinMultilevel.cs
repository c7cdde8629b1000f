using Drift.Random;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Ensembles.Multilevel;

/// <summary>
/// Multilevel coupling of the derivative-free Itô Milstein scheme without Lévy areas for an SDE dX = f dt + g dW with
/// general (non-commutative) d×m noise and a terminal payoff φ(X_T): level ℓ takes n_ℓ = n₀·2^ℓ steps of
/// h = (T − t₀)/n_ℓ; the fine path uses the increments ΔW_k = √h·z_k (Philox stream = sample index, key derived from
/// (seed, ℓ)), the coarse path their pair sums ΔW_{2c} + ΔW_{2c+1} over steps of 2h. The Milstein step (see
/// <see cref="MilsteinCoupling"/>) is X + f h + Σ_k g_k ΔW_k + Σ_{j,k} (g_k(X + f h + g_j√h) − g_k(X))/√h ·
/// (½ΔW_jΔW_k − ½hδ_jk), i.e. Kloeden–Platen's with the areas A_jk set to 0.
/// </summary>
/// <remarks>
/// With <see cref="MilsteinCoupling.Antithetic"/> the sampler's fine value is ½(φ(X^f) + φ(X^a)) (Giles &amp; Szpruch
/// 2014): it has the same mean as φ(X^f), so the telescoping sum is unchanged, and level variances fall as h²
/// instead of h. Cost C_ℓ = n_ℓ·(2 or 1) + n_ℓ/2 path steps (antithetic or plain; n₀ on level 0), each step one drift
/// and 1 + m diffusion evaluations.
/// </remarks>
public readonly struct MilsteinMultilevel<TDrift, TDiffusion, TPayoff> : IMultilevelSampler
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TPayoff : struct, ITerminalPayoff
{
    private readonly TDrift _drift;
    private readonly TDiffusion _diffusion;
    private readonly TPayoff _payoff;
    private readonly double[] _x0;
    private readonly double _t0, _t1;
    private readonly int _baseSteps;
    private readonly MilsteinCoupling _coupling;
    private readonly ulong _seed;

    /// <summary>A sampler for the SDE (Itô, general or additive layout), payoff, coupling and seed.</summary>
    /// <exception cref="ArgumentException">A Stratonovich problem, noise in a scalar or diagonal layout, or bad settings.</exception>
    public MilsteinMultilevel(SdeProblem<TDrift, TDiffusion> problem, TPayoff payoff, MilsteinCoupling coupling, ulong seed, int baseSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Calculus != Calculus.Ito)
            throw new ArgumentException($"the Milstein coupling integrates Itô SDEs, the problem is {problem.Calculus}.", nameof(problem));
        if (problem.Diffusion.Noise is not (NoiseKind.General or NoiseKind.Additive))
            throw new ArgumentException($"the Milstein coupling takes g in the general d×m layout, got {problem.Diffusion.Noise} noise.", nameof(problem));
        if (problem.PathInitialStates is not null)
            throw new ArgumentException("per-path initial states are not supported by the multilevel coupling.", nameof(problem));
        if (!Enum.IsDefined(coupling)) throw new ArgumentOutOfRangeException(nameof(coupling), coupling, "unknown coupling.");
        ArgumentOutOfRangeException.ThrowIfLessThan(baseSteps, 1);
        (_drift, _diffusion, _payoff, _x0, _t0, _t1, _coupling, _seed, _baseSteps) =
            (problem.Drift, problem.Diffusion, payoff, problem.InitialState, problem.T0, problem.T1, coupling, seed, baseSteps);
    }

    private int Steps(int level) => _baseSteps << level;

    /// <inheritdoc/>
    public int ScratchLength(int level, int count)
    {
        int d = _drift.Dimension, m = _diffusion.NoiseDimension;
        return Steps(level) * m * count + 3 * d * count + 3 * m * count + count;
    }

    /// <inheritdoc/>
    public double Cost(int level) => level == 0 ? _baseSteps : Steps(level) * (_coupling == MilsteinCoupling.Antithetic ? 2.0 : 1.0) + Steps(level) / 2.0;

    /// <inheritdoc/>
    public void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse)
    {
        int d = _drift.Dimension, m = _diffusion.NoiseDimension, count = fine.Length, steps = Steps(level);
        double h = (_t1 - _t0) / steps, sqrtH = Math.Sqrt(h);
        var z = scratch[..(steps * m * count)];
        int at = steps * m * count;
        var xf = scratch.Slice(at, d * count);
        var xa = scratch.Slice(at + d * count, d * count);
        var xc = scratch.Slice(at + 2 * d * count, d * count);
        at += 3 * d * count;
        var w1 = scratch.Slice(at, m * count);
        var w2 = scratch.Slice(at + m * count, m * count);
        var wc = scratch.Slice(at + 2 * m * count, m * count);
        var value = scratch.Slice(at + 3 * m * count, count);
        new PhiloxNormals(SeedMixer.Derive(_seed, 0x4D_494C_5354_4D4CUL + (ulong)level)).FillAcrossStreams((ulong)firstSample, count, 0, steps * m, z, count);
        for (int i = 0; i < steps * m * count; i++) z[i] *= sqrtH;
        for (int i = 0; i < d; i++)
        {
            xf.Slice(i * count, count).Fill(_x0[i]);
            xa.Slice(i * count, count).Fill(_x0[i]);
            xc.Slice(i * count, count).Fill(_x0[i]);
        }
        var scratchRows = new SolverScratch();
        TDrift drift = _drift;
        TDiffusion diffusion = _diffusion;
        bool antithetic = _coupling == MilsteinCoupling.Antithetic && level > 0;
        if (level == 0)
        {
            for (int k = 0; k < steps; k++)
                GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, _t0 + k * h, h, z.Slice(k * m * count, m * count), default, xf, count);
        }
        else
        {
            for (int c = 0; c < steps / 2; c++)
            {
                double t = _t0 + 2 * c * h;
                z.Slice(2 * c * m * count, m * count).CopyTo(w1);
                z.Slice((2 * c + 1) * m * count, m * count).CopyTo(w2);
                GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, t, h, w1, default, xf, count);
                GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, t + h, h, w2, default, xf, count);
                if (antithetic)
                {
                    GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, t, h, w2, default, xa, count);
                    GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, t + h, h, w1, default, xa, count);
                }
                for (int i = 0; i < m * count; i++) wc[i] = w1[i] + w2[i];
                GeneralNoiseMilstein.Step(ref drift, ref diffusion, scratchRows, 0, t, 2 * h, wc, default, xc, count);
            }
        }
        var payoff = _payoff;
        payoff.Evaluate(xf, fine, count);
        if (antithetic)
        {
            payoff.Evaluate(xa, value, count);
            for (int p = 0; p < count; p++) fine[p] = 0.5 * (fine[p] + value[p]);
        }
        if (level == 0) coarse.Clear();
        else payoff.Evaluate(xc, coarse, count);
    }
}
