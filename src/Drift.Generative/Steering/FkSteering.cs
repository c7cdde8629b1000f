using Drift.Random.Resampling;
using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Random;

namespace Drift.Generative.Steering;

/// <summary>
/// Feynman–Kac steering (Singhal et al. 2025, "A general framework for inference-time scaling and steering
/// of diffusion models"): a particle system whose proposal is the Euler–Maruyama transition of the reverse SDE
/// and whose weights are the potentials of <see cref="SteeringPotential"/> on the reward of the denoised
/// estimate, so that the weighted particles target π(x₀) = p(x₀)·exp(λ r(x₀))/Z.
/// </summary>
/// <remarks>
/// <para>Step k of an N-step grid t₀ &gt; … &gt; t_N: (1) one model evaluation gives x̂₀ⁱ = E[x₀ | x_{t_k} = xⁱ];
/// (2) reweight: log wⁱ += log G_kⁱ with r_kⁱ = r(x̂₀ⁱ), and log Ẑ += log Σ_i Wⁱ_{old} G_kⁱ (log-sum-exp);
/// (3) if ESS = (Σw)²/Σw² &lt; threshold·N, draw ancestors, copy the particles with their potential
/// history, and set the weights to 1; (4) move: xⁱ ← xⁱ + (f xⁱ − g² sⁱ)Δt + g√(−Δt)·zⁱ with the score
/// sⁱ = (α x̂₀ⁱ − xⁱ)/σ² from the same evaluation (or xⁱ ← α_N x̂₀ⁱ on a last step into σ = 0).
/// After the last move the final potential exp(λ r(x₀ⁱ)) / Π_k G_kⁱ (x₀ⁱ = x_N, or its denoised estimate
/// when σ_N &gt; 0, at one more evaluation) makes the product of potentials along every ancestry exactly
/// exp(λ r(x₀)). The proposal is the reference (model) transition itself, so no proposal/reference density
/// ratio enters the weights, and Ẑ is unbiased for E[exp(λ r(x₀))] under the sampler's path law (Del Moral 2004).
/// The target is therefore p_sampler·exp(λ r)/Z; its distance to the exact tilt of p is the sampler's own
/// discretisation error.</para>
/// <para>Randomness: the Brownian increments of step k are draws [i·d, (i+1)·d) of Philox normal stream k
/// (key derived from the seed) for particle slot i, and the resampling uniforms of step k are stream k of a
/// second key; so a run is a pure function of (seed, inputs). Threads as in <see cref="FeynmanKacCorrector"/>:
/// <see cref="FkSteeringOptions.Threads"/> contiguous particle blocks, each with its own model instance, evaluate
/// the denoiser and move their particles; the rewards, the potentials, log-sum-exp, ESS and resampling run on the
/// merged arrays in particle order (an <see cref="IReward"/> instance serves one thread), so the run is bit-identical
/// for every thread count. Buffers are allocated once per run.</para>
/// </remarks>
public static class FkSteering
{
    private const ulong NoisePurpose = 0x5354_4545_524E; // "STEERN"
    private const ulong ResamplePurpose = 0x5354_4545_5252; // "STEERR"

    /// <summary>Runs the steered particle system.</summary>
    /// <param name="model">The diffusion model.</param>
    /// <param name="grid">The time grid (its schedule must be the model's).</param>
    /// <param name="reward">The reward r on clean samples.</param>
    /// <param name="initial">N rows of d values, x ~ p_{t₀} (N = rows); not modified.</param>
    /// <param name="options">Temperature, potential, resampling and seed.</param>
    /// <returns>The weighted particles, log Ẑ and the per-step ESS trace.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a setting is out of range, or the weights collapse to zero or NaN.</exception>
    /// <remarks>One model instance serves one thread: with <see cref="FkSteeringOptions.Threads"/> ≠ 1 use the overload
    /// that takes a model factory.</remarks>
    public static SteeringResult Run(IDiffusionModel model, SamplingGrid grid, IReward reward, ReadOnlySpan<double> initial,
        FkSteeringOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Threads != 1)
            throw new ArgumentException($"one model instance serves one thread; Threads = {options.Threads} needs the overload that takes a model factory.", nameof(options));
        return Run(() => model, grid, reward, initial, options);
    }

    /// <summary>Runs the steered particle system over <see cref="FkSteeringOptions.Threads"/> workers.</summary>
    /// <param name="model">Factory of the diffusion model; one instance per worker thread.</param>
    /// <param name="grid">The time grid (its schedule must be the model's).</param>
    /// <param name="reward">The reward r on clean samples (evaluated on the calling thread).</param>
    /// <param name="initial">N rows of d values, x ~ p_{t₀} (N = rows); not modified.</param>
    /// <param name="options">Temperature, potential, resampling, seed and threads.</param>
    /// <returns>The weighted particles, log Ẑ and the per-step ESS trace; bit-identical for every thread count.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a setting is out of range, the factory returns null, or the weights collapse to zero or NaN.</exception>
    public static SteeringResult Run(Func<IDiffusionModel> model, SamplingGrid grid, IReward reward, ReadOnlySpan<double> initial,
        FkSteeringOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(options);
        var firstModel = model() ?? throw new ArgumentException("the model factory returned null.", nameof(model));
        int d = firstModel.Dimension;
        if (reward.Dimension != d) throw new ArgumentException($"the reward has dimension {reward.Dimension}, the model {d}.", nameof(reward));
        if (initial.Length == 0 || initial.Length % d != 0)
            throw new ArgumentException($"initial needs N·{d} values with N ≥ 1, got {initial.Length}.", nameof(initial));
        if (firstModel.Schedule.Name != grid.Schedule.Name)
            throw new ArgumentException($"the grid's schedule ({grid.Schedule.Name}) differs from the model's ({firstModel.Schedule.Name}).", nameof(grid));
        if (!double.IsFinite(options.Lambda)) throw new ArgumentException($"lambda must be finite, got {options.Lambda}.", nameof(options));
        if (!(options.EssThreshold >= 0 && options.EssThreshold <= 1))
            throw new ArgumentException($"the ESS threshold must lie in [0, 1], got {options.EssThreshold}.", nameof(options));
        if (!Enum.IsDefined(options.Potential)) throw new ArgumentException($"unknown potential {options.Potential}.", nameof(options));
        if (!Enum.IsDefined(options.Resampling)) throw new ArgumentException($"unknown resampling scheme {options.Resampling}.", nameof(options));

        int n = initial.Length / d, steps = grid.Steps;
        int workers = ParticleWeights.Workers(options.Threads, n);
        var models = new IDiffusionModel[workers];
        models[0] = firstModel;
        for (int w = 1; w < workers; w++) models[w] = model() ?? throw new ArgumentException("the model factory returned null.", nameof(model));
        var sch = firstModel.Schedule;
        double lambda = options.Lambda;
        var x = initial.ToArray();
        var x0 = new double[n * d];
        var copy = new double[n * d];
        var r = new double[n];
        var logW = new double[n];
        var history = new double[n];    // log Π_{j≤k} G_j along the ancestry
        var previous = new double[n];   // r_{k−1} (difference) / running max / running sum
        var scalarCopy = new double[n];
        var weights = new double[n];
        var ancestors = new int[n];
        var noise = new double[n * d];
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, NoisePurpose));
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(options.Seed, ResamplePurpose));
        var trace = new SteeringStep[steps + 1];
        if (options.Potential == SteeringPotential.Max) Array.Fill(previous, double.NegativeInfinity);
        double logZ = 0;
        int evaluations = 0;

        for (int k = 0; k < steps; k++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            double t = grid.Time(k);
            Denoise(models, workers, t, x, x0, n, d);
            evaluations++;
            reward.Evaluate(x0, r, n);
            double before = ParticleLogWeights.LogSumExp(logW);
            for (int i = 0; i < n; i++)
            {
                double g = options.Potential switch
                {
                    SteeringPotential.Difference => lambda * (r[i] - previous[i]),
                    SteeringPotential.Max => lambda * Math.Max(previous[i], r[i]),
                    _ => lambda * (previous[i] + r[i]),
                };
                previous[i] = options.Potential switch
                {
                    SteeringPotential.Difference => r[i],
                    SteeringPotential.Max => Math.Max(previous[i], r[i]),
                    _ => previous[i] + r[i],
                };
                history[i] += g;
                logW[i] += g;
            }
            logZ += ParticleLogWeights.LogSumExp(logW) - before;
            double ess = ParticleWeights.Normalise(logW, weights, t);
            bool resample = ess < options.EssThreshold * n;
            if (resample)
            {
                Resampler.Resample(options.Resampling, weights, ancestors, uniforms, (ulong)k);
                ParticleLogWeights.Gather(x, copy, ancestors, d);
                ParticleLogWeights.Gather(x0, copy, ancestors, d);
                ParticleLogWeights.Gather(history, scalarCopy, ancestors, 1);
                ParticleLogWeights.Gather(previous, scalarCopy, ancestors, 1);
                // After resampling every particle carries weight 1/N: log-weights equal, so Ẑ's increments stay normalised.
                Array.Fill(logW, 0.0);
            }
            trace[k] = new SteeringStep(t, ess, logZ, resample);

            double tNext = grid.Time(k + 1);
            if (k == steps - 1 && grid.EndsAtZeroNoise)
            {
                double aEnd = grid.Alpha(k + 1);
                for (int j = 0; j < x.Length; j++) x[j] = aEnd * x0[j];
                continue;
            }
            double dt = tNext - t;
            double a = sch.Alpha(t), s = sch.Sigma(t);
            double f = sch.DriftCoefficient(t), g2 = sch.DiffusionSquared(t);
            double cx = 1 + f * dt + g2 * dt / (s * s), c0 = -g2 * dt * a / (s * s), cz = Math.Sqrt(g2 * -dt);
            ulong stream = (ulong)k;
            // x + (f x − g² s)Δt + g√(−Δt) z with s = (α x̂₀ − x)/σ².
            ParticleWeights.ForBlocks(n, workers, (w, first, count) =>
            {
                int lo = first * d, hi = (first + count) * d;
                normals.FillStream(stream, (ulong)lo, noise.AsSpan(lo, hi - lo));
                for (int j = lo; j < hi; j++) x[j] = cx * x[j] + c0 * x0[j] + cz * noise[j];
            });
        }

        // Final potential: exp(λ r(x₀)) / Π_k G_k, so that every ancestry's product is exp(λ r(x₀)).
        double tEnd = grid.Time(steps);
        if (grid.EndsAtZeroNoise) x.CopyTo(x0, 0);
        else
        {
            Denoise(models, workers, tEnd, x, x0, n, d);
            evaluations++;
        }
        reward.Evaluate(x0, r, n);
        double beforeFinal = ParticleLogWeights.LogSumExp(logW);
        for (int i = 0; i < n; i++) logW[i] += lambda * r[i] - history[i];
        logZ += ParticleLogWeights.LogSumExp(logW) - beforeFinal;
        double essFinal = ParticleWeights.Normalise(logW, weights, tEnd);
        trace[steps] = new SteeringStep(tEnd, essFinal, logZ, false);
        return new SteeringResult(d, x0, (double[])weights.Clone(), logZ, trace, evaluations);
    }

    /// <summary>x̂₀ = E[x₀ | x_t = x] for every particle, worker w's model on its contiguous block.</summary>
    private static void Denoise(IDiffusionModel[] models, int workers, double t, double[] x, double[] x0, int n, int d)
        => ParticleWeights.ForBlocks(n, workers, (w, first, count) =>
        {
            var model = models[w];
            var xs = x.AsSpan(first * d, count * d);
            var out0 = x0.AsSpan(first * d, count * d);
            model.Evaluate(t, xs, out0, count);
            PredictionConverter.Convert(model.Schedule, t, xs, out0, model.Prediction, Prediction.Data);
        });
}
