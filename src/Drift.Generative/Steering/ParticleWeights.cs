using System.Runtime.CompilerServices;

namespace Drift.Generative.Steering;

/// <summary>Log-domain weight arithmetic and ancestry copies shared by the particle systems of this folder.</summary>
internal static class ParticleWeights
{
    /// <summary>Writes normalised weights exp(logW − max)/Σ and returns the ESS; throws when they are not finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Normalise(double[] logW, double[] weights, double t)
    {
        double max = double.NegativeInfinity;
        foreach (double v in logW) max = Math.Max(max, v);
        if (!double.IsFinite(max))
            throw new ArgumentException($"the particle weights collapsed at t = {t} (largest log-weight {max}); lower the steering strength (λ, β, w) or check the reward and model for NaN/∞.");
        double sum = 0, sum2 = 0;
        for (int i = 0; i < logW.Length; i++)
        {
            double w = Math.Exp(logW[i] - max);
            if (double.IsNaN(w)) throw new ArgumentException($"a particle weight is NaN at t = {t}; check the reward and model for NaN.");
            weights[i] = w;
            sum += w;
        }
        for (int i = 0; i < logW.Length; i++)
        {
            weights[i] /= sum;
            sum2 += weights[i] * weights[i];
        }
        return 1 / sum2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double LogSumExp(double[] v)
    {
        double max = double.NegativeInfinity;
        foreach (double e in v) max = Math.Max(max, e);
        if (!double.IsFinite(max)) return max;
        double s = 0;
        foreach (double e in v) s += Math.Exp(e - max);
        return max + Math.Log(s);
    }

    /// <summary>Replaces row i of <paramref name="values"/> (width <paramref name="width"/>) by row ancestors[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gather(double[] values, double[] scratch, int[] ancestors, int width)
    {
        int n = ancestors.Length;
        Array.Copy(values, scratch, n * width);
        for (int i = 0; i < n; i++)
            Array.Copy(scratch, ancestors[i] * width, values, i * width, width);
    }

    /// <summary>Worker count for a <c>Threads</c> setting (0: one per core), never more than the particles.</summary>
    internal static int Workers(int threads, int particles)
    {
        if (threads < 0) throw new ArgumentException($"Threads must be ≥ 0 (0: one per core), got {threads}.", nameof(threads));
        int w = threads == 0 ? Environment.ProcessorCount : threads;
        return Math.Max(1, Math.Min(w, particles));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(worker, first, count) over <paramref name="workers"/> contiguous particle blocks,
    /// in parallel when there is more than one. Each particle's arithmetic depends on its own row only, so the
    /// result is bit-identical for every worker count.
    /// </summary>
    internal static void ForBlocks(int particles, int workers, Action<int, int, int> body)
    {
        if (workers == 1)
        {
            body(0, 0, particles);
            return;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int first = (int)((long)particles * w / workers), end = (int)((long)particles * (w + 1) / workers);
            body(w, first, end - first);
        });
    }
}
