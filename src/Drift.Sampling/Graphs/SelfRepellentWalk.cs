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

    /// <summary>
    /// The asymptotic variance of each estimate Σᵢ f(i) xₙ(i) for the self-repellent walk of strength α on the reversible
    /// base walk <paramref name="chain"/> (the paper's central limit theorem, step size 1/(n + 1)):
    /// n Var → Σₖ≥₂ (1 + λₖ)/(1 − λₖ) · ⟨f, uₖ⟩²_μ / (2α(1 + λₖ) + 1), with (λₖ, uₖ) the eigenpairs of P, uₖ orthonormal in
    /// L²(μ); α = 0 is the base walk's own asymptotic variance. One eigendecomposition of D^{1/2} P D^{−1/2} (D = diag μ,
    /// symmetric because P is reversible) serves every function: O(n³) time, O(n²) memory.
    /// </summary>
    /// <param name="chain">The base walk.</param>
    /// <param name="alpha">α ≥ 0.</param>
    /// <param name="functions">Functions f, one value per node each.</param>
    /// <exception cref="ArgumentException">α negative or not finite, or a function with the wrong length or a non-finite value.</exception>
    public static double[] AsymptoticVariances(GraphChain chain, double alpha, IReadOnlyList<double[]> functions)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(functions);
        if (!(alpha >= 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be finite and non-negative.");
        int n = chain.Nodes;
        foreach (var f in functions)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(functions));
            if (f.Length != n) throw new ArgumentException($"a function has {f.Length} values for {n} nodes.", nameof(functions));
            if (f.Any(v => !double.IsFinite(v))) throw new ArgumentException("a function has a non-finite value.", nameof(functions));
        }
        var mu = chain.Stationary;
        var p = chain.TransitionMatrix();
        var s = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) s[i * n + j] = Math.Sqrt(mu[i]) * p[i * n + j] / Math.Sqrt(mu[j]);
        var (values, vectors) = global::Drift.Numerics.SymmetricEigen.Decompose(s, n);
        // The unit eigenvalue's vector is √μ; leave it out by its overlap with √μ (robust to a nearly-1 second eigenvalue).
        int unit = 0;
        double best = -1;
        for (int k = 0; k < n; k++)
        {
            double overlap = 0;
            for (int i = 0; i < n; i++) overlap += Math.Sqrt(mu[i]) * vectors[i * n + k];
            if (Math.Abs(overlap) > best) (best, unit) = (Math.Abs(overlap), k);
        }
        var result = new double[functions.Count];
        for (int m = 0; m < functions.Count; m++)
        {
            var f = functions[m];
            double total = 0;
            for (int k = 0; k < n; k++)
            {
                if (k == unit) continue;
                double projection = 0; // ⟨f, uₖ⟩_μ with uₖ = D^{−1/2} vₖ
                for (int i = 0; i < n; i++) projection += f[i] * Math.Sqrt(mu[i]) * vectors[i * n + k];
                double l = values[k];
                total += (1 + l) / (1 - l) * projection * projection / (2 * alpha * (1 + l) + 1);
            }
            result[m] = total;
        }
        return result;
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
