using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Random;

namespace Drift.Generative.Samplers;

/// <summary>
/// Denoising MCMC (Kim &amp; Ye 2022, "Denoising MCMC for accelerating diffusion-based generative models"), in its
/// Denoising Langevin Gibbs (DLG) form: Markov chains in the product space of data x and noise level σ, whose
/// states are handed to a reverse-ODE integrator that denoises them from the chain's σ instead of from σ_max.
/// </summary>
/// <remarks>
/// <para>Product-space target p(x, σ) ∝ p_σ(x) on K levels σ_j = σ_lo(σ_hi/σ_lo)^{1 − j/(K−1)} (uniform prior).
/// One Langevin–Gibbs iteration: x ← x + ½η s_θ(x, σ) + √η z, z ~ N(0, I) (a Langevin step on p_σ(x), one model
/// evaluation), then σ ← argmax_j p(σ_j | x) from the noise-level classifier (the mode, as the paper's code does,
/// not a draw). Constants as in the paper's code: η fixed (not scaled by σ²), σ_lo = 0.01, initial chains from an
/// EDM sampler run plus N(0, 0.5²) noise; n_skip iterations per output, keeping the state of smallest σ seen in them.</para>
/// <para>Denoising: from that state (x, σ), the EDM Heun sampler (deterministic, second order) on a Karras grid
/// (ρ = 7) from σ down to the schedule's σ_min with a final Euler step to σ = 0 (Tweedie's denoiser); N steps cost
/// 2N − 1 evaluations. Chains sharing a level are denoised together. NFE per output = n_skip + 2N − 1, plus the
/// setup (2·InitSteps − 1 + BurnIn per chain) amortised over the rounds.</para>
/// <para>The model's schedule must be EDM (α = 1, σ = t). The chain is not an exact sampler of p_σ (η is finite and
/// σ is set to the classifier's mode); its quality is measured, not assumed (docs/generative.md).</para>
/// <para>Randomness: iteration i's Langevin noise for chain c is draws [c·d, (c+1)·d) of Philox normal stream i, the
/// initial noise stream 2³²; the result is a pure function of the seed.</para>
/// </remarks>
public static class DenoisingMcmc
{
    private const ulong NoisePurpose = 0x444D_434D_43; // "DMCMC"

    /// <summary>Runs <paramref name="chains"/> chains for <paramref name="rounds"/> outputs each.</summary>
    /// <param name="model">The diffusion model; its schedule must be <see cref="EdmSchedule"/>.</param>
    /// <param name="classifier">log p_σ(x) up to a σ-independent constant (the noise-level classifier).</param>
    /// <param name="chains">Parallel chains (≥ 1).</param>
    /// <param name="rounds">Outputs per chain (≥ 1).</param>
    /// <param name="options">Levels, step size, skip, denoising steps, seed.</param>
    /// <exception cref="ArgumentException">A setting is out of range or the schedule is not EDM.</exception>
    public static DenoisingMcmcResult Sample(IDiffusionModel model, NoiseLevelLogLikelihood classifier, int chains, int rounds, DenoisingMcmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(options);
        if (model.Schedule is not EdmSchedule edm)
            throw new ArgumentException($"denoising MCMC needs a model on the edm schedule (α = 1, σ = t), got {model.Schedule.Name}.", nameof(model));
        if (chains < 1) throw new ArgumentException($"chains must be ≥ 1, got {chains}.", nameof(chains));
        if (rounds < 1) throw new ArgumentException($"rounds must be ≥ 1, got {rounds}.", nameof(rounds));
        if (options.Levels < 2) throw new ArgumentException($"Levels must be ≥ 2, got {options.Levels}.", nameof(options));
        if (!(options.SigmaLow > edm.SigmaMin) || !(options.SigmaHigh > options.SigmaLow) || !(options.SigmaHigh <= edm.SigmaMax))
            throw new ArgumentException($"need σ_min = {edm.SigmaMin} < SigmaLow < SigmaHigh ≤ σ_max = {edm.SigmaMax}, got {options.SigmaLow}, {options.SigmaHigh}.", nameof(options));
        if (!(options.StepSize > 0) || !double.IsFinite(options.StepSize)) throw new ArgumentException($"StepSize must be positive, got {options.StepSize}.", nameof(options));
        if (options.InitSteps < 2 || options.DenoiseSteps < 2) throw new ArgumentException($"InitSteps and DenoiseSteps must be ≥ 2, got {options.InitSteps}, {options.DenoiseSteps}.", nameof(options));
        if (options.BurnIn < 0 || options.Skip < 1) throw new ArgumentException($"need BurnIn ≥ 0 and Skip ≥ 1, got {options.BurnIn}, {options.Skip}.", nameof(options));
        if (!(options.InitNoise >= 0) || !double.IsFinite(options.InitNoise)) throw new ArgumentException($"InitNoise must be ≥ 0, got {options.InitNoise}.", nameof(options));

        int d = model.Dimension, k = options.Levels, n = chains;
        var levels = new double[k];
        for (int j = 0; j < k; j++) levels[j] = options.SigmaLow * Math.Pow(options.SigmaHigh / options.SigmaLow, 1 - (double)j / (k - 1));
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, NoisePurpose));
        var heun = new EdmHeunSampler();
        var token = options.CancellationToken;

        // Initial chains: an EDM Heun run from σ_max, plus N(0, InitNoise²) noise, then the classifier's level.
        var x = new double[(long)n * d];
        normals.FillStream(1UL << 32, 0, x);
        for (long i = 0; i < x.Length; i++) x[i] *= edm.SigmaMax;
        var initGrid = SamplingGrid.Create(edm, options.InitSteps, GridSpacing.Karras, denoiseToZero: true);
        int setup = heun.Sample(model, initGrid, x, n, options.Seed, cancellationToken: token) + options.BurnIn;
        var z = new double[(long)n * d];
        normals.FillStream((1UL << 32) + 1, 0, z);
        for (long i = 0; i < x.Length; i++) x[i] += options.InitNoise * z[i];
        var level = new int[n];
        var logLik = new double[(long)n * k];
        var column = new double[n];
        Classify();

        var score = new double[(long)n * d];
        ulong iteration = 0;
        for (int b = 0; b < options.BurnIn; b++) Step();

        var best = new double[(long)n * d];
        var bestLevel = new int[n];
        var samples = new double[(long)rounds * n * d];
        int perOutput = options.Skip + heun.Evaluations(DenoiseGrid(levels[0]));
        double sigmaSum = 0;
        for (int r = 0; r < rounds; r++)
        {
            Array.Copy(x, best, x.Length);
            Array.Copy(level, bestLevel, n);
            for (int s = 0; s < options.Skip; s++)
            {
                Step();
                for (int c = 0; c < n; c++)
                    if (level[c] > bestLevel[c]) // a higher index is a smaller σ
                    {
                        bestLevel[c] = level[c];
                        Array.Copy(x, (long)c * d, best, (long)c * d, d);
                    }
            }
            // Denoise each group of chains that share a level from that level.
            var output = samples.AsSpan(r * n * d, n * d);
            for (int j = 0; j < k; j++)
            {
                var members = Enumerable.Range(0, n).Where(c => bestLevel[c] == j).ToArray();
                if (members.Length == 0) continue;
                var group = new double[members.Length * d];
                for (int m = 0; m < members.Length; m++) Array.Copy(best, (long)members[m] * d, group, m * d, d);
                heun.Sample(model, DenoiseGrid(levels[j]), group, members.Length, options.Seed, cancellationToken: token);
                for (int m = 0; m < members.Length; m++) group.AsSpan(m * d, d).CopyTo(output.Slice(members[m] * d, d));
                sigmaSum += members.Length * levels[j];
            }
        }
        return new DenoisingMcmcResult(samples, d, n, rounds, setup, perOutput, sigmaSum / ((double)n * rounds));

        SamplingGrid DenoiseGrid(double sigma) => SamplingGrid.Create(edm, options.DenoiseSteps, GridSpacing.Karras, start: sigma, denoiseToZero: true);

        // σ ← argmax_j log p_{σ_j}(x) per chain (ties: the smaller σ).
        void Classify()
        {
            for (int j = 0; j < k; j++)
            {
                classifier(levels[j], x, column, n);
                for (int c = 0; c < n; c++) logLik[(long)c * k + j] = column[c];
            }
            for (int c = 0; c < n; c++)
            {
                int arg = 0;
                double max = double.NegativeInfinity;
                for (int j = 0; j < k; j++)
                {
                    double v = logLik[(long)c * k + j];
                    if (v >= max) { max = v; arg = j; }
                }
                if (!double.IsFinite(max)) throw new ArgumentException($"the noise-level classifier gave no finite log-likelihood for chain {c}; check the model and classifier for NaN.", nameof(classifier));
                level[c] = arg;
            }
        }

        // x ← x + ½η s(x, σ) + √η z at each chain's own σ (chains grouped by level for the model call), then σ ← mode.
        void Step()
        {
            token.ThrowIfCancellationRequested();
            for (int j = 0; j < k; j++)
            {
                var members = Enumerable.Range(0, n).Where(c => level[c] == j).ToArray();
                if (members.Length == 0) continue;
                var xs = new double[members.Length * d];
                var ss = new double[members.Length * d];
                for (int m = 0; m < members.Length; m++) Array.Copy(x, (long)members[m] * d, xs, m * d, d);
                model.Evaluate(levels[j], xs, ss, members.Length);
                PredictionConverter.Convert(edm, levels[j], xs, ss, model.Prediction, Prediction.Score);
                for (int m = 0; m < members.Length; m++) Array.Copy(ss, m * d, score, (long)members[m] * d, d);
            }
            normals.FillStream(iteration++, 0, z);
            double eta = options.StepSize, root = Math.Sqrt(eta);
            for (long i = 0; i < x.Length; i++) x[i] += 0.5 * eta * score[i] + root * z[i];
            Classify();
        }
    }
}
