using Drift.Random;

namespace Drift.Sampling.Graphs;

/// <summary>
/// The self-repellent random walk (Doshi, Hu &amp; Eun 2023, "Self-repellent random walks on general graphs — achieving
/// minimal sampling variance via nonlinear Markov chains", ICML): a base reversible walk P with stationary law μ whose
/// kernel is reweighted by the walk's own visit frequencies xₙ, Kᵢⱼ[x] = Pᵢⱼ (xⱼ/μⱼ)^{−α} / Σₖ Pᵢₖ (xₖ/μₖ)^{−α}, so it
/// avoids nodes it has over-visited relative to μ. xₙ → μ almost surely, and the estimate Σᵢ f(i) xₙ(i) of Σᵢ f(i) μᵢ has
/// an asymptotic variance that falls as O(1/α).
/// </summary>
/// <remarks>
/// <para>Empirical measure: xₙ = (x₀ + Σₖ₌₁ⁿ δ_{Xₖ})/(n + 1) with x₀ = μ (step size γₙ = 1/(n + 1)). Since (n + 1) cancels in
/// K's normalisation, Kᵢⱼ ∝ Pᵢⱼ ((μⱼ + cⱼ)/μⱼ)^{−α} with cⱼ the visit count; one power is updated per step.</para>
/// <para>Asymptotic variance (the paper's central limit theorem for γₙ = 1/(n + 1)): with (λₖ, uₖ) the eigenpairs of the base
/// walk (uₖ orthonormal in L²(μ), k ≥ 2), n Var(Σᵢ f(i) xₙ(i)) → Σₖ (1 + λₖ)/(1 − λₖ) · ⟨f, uₖ⟩²_μ / (2α(1 + λₖ) + 1); α = 0 is the
/// base walk's Σₖ (1 + λₖ)/(1 − λₖ)⟨f, uₖ⟩²_μ. The tests measure both.</para>
/// <para>Reproducibility: walk w's uniform at step k is draw k of Philox stream w under a key derived from the seed; walks
/// share nothing, so the run is bit-identical for any <see cref="SrrwOptions.Threads"/>.</para>
/// </remarks>
public static class SelfRepellentWalk
{
    private const ulong WalkPurpose = 0x5352_5257_5741_4C4B; // "SRRWWALK"
    private const int Chunk = 4096;

    /// <summary>Runs <see cref="SrrwOptions.Walks"/> independent self-repellent walks on <paramref name="chain"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="OperationCanceledException">When <see cref="SrrwOptions.CancellationToken"/> fires.</exception>
    public static SrrwResult Run(GraphChain chain, SrrwOptions options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        int nodes = chain.Nodes;
        options.Validate(nodes);
        var counts = new long[(long)options.Walks * nodes];
        var stationary = chain.Stationary.ToArray();
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(options.Seed, WalkPurpose));
        int done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? -1 : options.Threads, CancellationToken = options.CancellationToken };
        try
        {
            Parallel.For(0, options.Walks, parallel, w =>
            {
                Walk(chain, options, uniforms, (ulong)w, counts.AsSpan(w * nodes, nodes));
                int finished = Interlocked.Increment(ref done);
                options.Progress?.Report(new SrrwProgress(finished, options.Walks));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        return new SrrwResult(counts, stationary, options.Function?.ToArray(), options.Steps, options.Walks);
    }

    private static void Walk(GraphChain chain, SrrwOptions options, PhiloxUniforms uniforms, ulong stream, Span<long> counts)
    {
        var mu = chain.Stationary;
        double alpha = options.Alpha;
        // repel[j] = ((μⱼ + cⱼ)/μⱼ)^{−α}, 1 before any visit.
        var repel = new double[chain.Nodes];
        repel.AsSpan().Fill(1);
        var u = new double[Chunk];
        int node = options.Start;
        for (int step = 0; step < options.Steps; step++)
        {
            int k = step % Chunk;
            if (k == 0)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                uniforms.FillStream(stream, (ulong)step, u.AsSpan(0, Math.Min(Chunk, options.Steps - step)));
            }
            var targets = chain.Targets(node);
            var probabilities = chain.Probabilities(node);
            double total = 0;
            for (int e = 0; e < targets.Length; e++) total += probabilities[e] * repel[targets[e]];
            double point = u[k] * total, cumulative = 0;
            int next = targets[^1];
            for (int e = 0; e < targets.Length; e++)
            {
                cumulative += probabilities[e] * repel[targets[e]];
                if (point < cumulative)
                {
                    next = targets[e];
                    break;
                }
            }
            node = next;
            counts[node]++;
            if (alpha != 0) repel[node] = Math.Pow((mu[node] + counts[node]) / mu[node], -alpha);
        }
    }
}
