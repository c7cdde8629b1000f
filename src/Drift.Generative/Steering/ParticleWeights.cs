using Drift.Random.Resampling;

namespace Drift.Generative.Steering;

/// <summary>Weight normalisation with this folder's error message, and the worker blocks shared by its particle systems.</summary>
internal static class ParticleWeights
{
    /// <summary>Writes normalised weights (<see cref="ParticleLogWeights.Normalise"/>) and returns the ESS; throws when they are not finite.</summary>
    internal static double Normalise(double[] logW, double[] weights, double t)
    {
        double ess = ParticleLogWeights.Normalise(logW, weights);
        if (double.IsNaN(ess))
            throw new ArgumentException($"the particle weights collapsed or are NaN at t = {t} (largest log-weight {logW.Max()}); lower the steering strength (λ, β, w) or check the reward and model for NaN/∞.");
        return ess;
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
