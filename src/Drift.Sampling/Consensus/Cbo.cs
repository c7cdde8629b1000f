using Drift.Random;

namespace Drift.Sampling.Consensus;

/// <summary>
/// Consensus-based optimisation (Pinnau, Totzeck, Tse &amp; Martin 2017; anisotropic noise: Carrillo, Jin, Li &amp; Zhu
/// 2021): N particles relax toward the weighted consensus m_α = Σⱼ e^{−α f(xⱼ)} xⱼ / Σⱼ e^{−α f(xⱼ)} while exploring with
/// noise proportional to their distance from it, dXⱼ = −λ (Xⱼ − m_α) dt + σ D(Xⱼ − m_α) dWⱼ. No gradient is used.
/// </summary>
/// <remarks>
/// <para>Discretised by Euler–Maruyama as both papers do: Xⱼ ← Xⱼ − λΔt (Xⱼ − m_α) + σ√Δt D(Xⱼ − m_α) zⱼ, zⱼ ~ N(0, I_d),
/// with D(r) z = r ⊙ z (anisotropic) or |r| z (isotropic), and m_α recomputed from the new positions after every step
/// (weights with min f subtracted, so large α f does not overflow). By Laplace's principle m_α → argmin f as α → ∞ for a
/// fixed cloud; the answer is the final m_α.</para>
/// <para>Reproducibility: particle j's normals at step k are <see cref="StepDraws"/>(seed, j, k) under a derived key and
/// f is evaluated in fixed blocks, so the run is bit-identical for any <see cref="CboOptions.Threads"/>.</para>
/// </remarks>
public static class Cbo
{
    private const ulong InitPurpose = 0x4342_4F49_4E49_5400;  // "CBOINIT"
    private const ulong NoisePurpose = 0x4342_4F4E_4F49_5345; // "CBONOISE"

    /// <summary>Minimises <paramref name="objective"/>; the answer is <see cref="ConsensusResult.Consensus"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or f is not finite at any initial particle.</exception>
    /// <exception cref="OperationCanceledException">When <see cref="CboOptions.CancellationToken"/> fires.</exception>
    public static ConsensusResult Minimize<TObjective>(TObjective objective, CboOptions options)
        where TObjective : struct, IObjective
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var swarm = new ConsensusSwarm<TObjective>(objective, options.Particles, options.Threads,
            SeedMixer.Derive(options.Seed, InitPurpose), options.InitialLow, options.InitialHigh, options.CancellationToken);
        int d = swarm.D;
        ulong noiseSeed = SeedMixer.Derive(options.Seed, NoisePurpose);
        double drift = options.Lambda * options.StepSize, noise = options.Sigma * Math.Sqrt(options.StepSize);
        bool isotropic = options.Noise == CboNoise.Isotropic;
        int reportEvery = Math.Max(1, options.Steps / 100), step = 0;
        swarm.Evaluate();
        swarm.Consensus(options.Alpha, covariance: false);
        var m = swarm.Mean;
        for (; step < options.Steps; step++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            if (options.Tolerance > 0 && Spread(swarm) < options.Tolerance) break;
            int k = step;
            swarm.ForBlocks((first, count) =>
            {
                Span<double> z = d <= 256 ? stackalloc double[d] : new double[d];
                for (int p = first; p < first + count; p++)
                {
                    var draws = new StepDraws(noiseSeed, (ulong)p, (ulong)k);
                    var x = swarm.X.AsSpan(p * d, d);
                    for (int i = 0; i < d; i++) z[i] = draws.NextNormal();
                    if (isotropic)
                    {
                        double dist = 0;
                        for (int i = 0; i < d; i++) dist += (x[i] - m[i]) * (x[i] - m[i]);
                        dist = Math.Sqrt(dist);
                        for (int i = 0; i < d; i++) x[i] += -drift * (x[i] - m[i]) + noise * dist * z[i];
                    }
                    else
                    {
                        for (int i = 0; i < d; i++)
                        {
                            double r = x[i] - m[i];
                            x[i] += -drift * r + noise * r * z[i];
                        }
                    }
                }
            });
            swarm.Evaluate();
            swarm.Consensus(options.Alpha, covariance: false);
            if (options.Progress is { } progress && ((step + 1) % reportEvery == 0 || step + 1 == options.Steps))
                progress.Report(new ConsensusProgress(step + 1, swarm.F.Min()));
        }
        return swarm.Result(step);
    }

    /// <summary>√(Σⱼ |xⱼ − m_α|² / (N d)).</summary>
    private static double Spread<TObjective>(ConsensusSwarm<TObjective> swarm) where TObjective : struct, IObjective
    {
        double s = 0;
        int d = swarm.D;
        for (int p = 0; p < swarm.N; p++)
            for (int i = 0; i < d; i++)
            {
                double r = swarm.X[p * d + i] - swarm.Mean[i];
                s += r * r;
            }
        return Math.Sqrt(s / ((double)swarm.N * d));
    }
}
