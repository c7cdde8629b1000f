using Drift.Random;
using Drift.Sampling.Numerics;

namespace Drift.Sampling.Consensus;

/// <summary>
/// Consensus-based sampling (Carrillo, Hoffmann, Stuart &amp; Vaes 2022): particles follow the McKean–Vlasov
/// Ornstein–Uhlenbeck dynamics dXⱼ = −(Xⱼ − m_α) dt + √(2λ⁻¹ C_α) dWⱼ, where m_α and C_α are the mean and covariance of the
/// particles reweighted by e^{−α f}. No gradient is used.
/// </summary>
/// <remarks>
/// <para>Discretised as the paper does, exactly in time for frozen m_α, C_α:
/// Xⱼ ← m_α + e^{−Δt}(Xⱼ − m_α) + √((1 − e^{−2Δt}) λ⁻¹) L zⱼ with L Lᵀ = C_α, zⱼ ~ N(0, I_d).</para>
/// <para>Sampling mode, λ = 1/(1 + α): for f(x) = ½(x − a)ᵀA(x − a) a Gaussian law N(m, C) is invariant iff m = a and
/// C = (1 + α)(C⁻¹ + αA)⁻¹, i.e. C = A⁻¹: the target N(a, A⁻¹) itself, for every α (the check of the tests). For
/// non-Gaussian targets the invariant law is an approximation whose error shrinks as α → 0 (the paper's Section 3).
/// Optimisation mode, λ = 1: the cloud contracts onto argmin f.</para>
/// <para>Reproducibility: particle j's normals at step k are <see cref="StepDraws"/>(seed, j, k) under a derived key; the run
/// is bit-identical for any <see cref="CbsOptions.Threads"/>.</para>
/// </remarks>
public static class Cbs
{
    private const ulong InitPurpose = 0x4342_5349_4E49_5400;  // "CBSINIT"
    private const ulong NoisePurpose = 0x4342_534E_4F49_5345; // "CBSNOISE"

    /// <summary>Runs CBS; the samples are <see cref="ConsensusResult.Particles"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or f is not finite at any initial particle.</exception>
    /// <exception cref="OperationCanceledException">When <see cref="CbsOptions.CancellationToken"/> fires.</exception>
    public static ConsensusResult Sample<TObjective>(TObjective objective, CbsOptions options)
        where TObjective : struct, IObjective
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var swarm = new ConsensusSwarm<TObjective>(objective, options.Particles, options.Threads,
            SeedMixer.Derive(options.Seed, InitPurpose), options.InitialLow, options.InitialHigh, options.CancellationToken);
        int d = swarm.D;
        ulong noiseSeed = SeedMixer.Derive(options.Seed, NoisePurpose);
        double inverseLambda = options.Mode == CbsMode.Sampling ? 1 + options.Alpha : 1;
        double decay = Math.Exp(-options.StepSize), scale = Math.Sqrt(-double.ExpM1(-2 * options.StepSize) * inverseLambda);
        int reportEvery = Math.Max(1, options.Steps / 100);
        for (int step = 0; step < options.Steps; step++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            swarm.Evaluate();
            var chol = SmallDense.RegularisedCholesky(swarm.Consensus(options.Alpha, covariance: true)!, d);
            var m = swarm.Mean;
            int k = step;
            swarm.ForBlocks((first, count) =>
            {
                Span<double> z = d <= 256 ? stackalloc double[d] : new double[d];
                Span<double> lz = d <= 256 ? stackalloc double[d] : new double[d];
                for (int p = first; p < first + count; p++)
                {
                    var draws = new StepDraws(noiseSeed, (ulong)p, (ulong)k);
                    for (int i = 0; i < d; i++) z[i] = draws.NextNormal();
                    SmallDense.MultiplyLower(chol, d, z, lz);
                    var x = swarm.X.AsSpan(p * d, d);
                    for (int i = 0; i < d; i++) x[i] = m[i] + decay * (x[i] - m[i]) + scale * lz[i];
                }
            });
            if (options.Progress is { } progress && ((step + 1) % reportEvery == 0 || step + 1 == options.Steps))
                progress.Report(new ConsensusProgress(step + 1, swarm.F.Min()));
        }
        swarm.Evaluate();
        swarm.Consensus(options.Alpha, covariance: false);
        return swarm.Result(options.Steps);
    }
}
