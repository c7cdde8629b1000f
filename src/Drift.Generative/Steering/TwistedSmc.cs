using Drift.Random.Resampling;
using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Random;

namespace Drift.Generative.Steering;

/// <summary>
/// The twisted diffusion sampler (Wu et al. 2023, "Practical and asymptotically exact conditional sampling in
/// diffusion models") for inpainting: sequential Monte Carlo whose target is p(x | y) ∝ p(x)·N(y; x[known], s_y² I),
/// with twisting functions that approximate the conditional likelihood at each noise level.
/// </summary>
/// <remarks>
/// <para>Reference kernel M_k(x' | x) = N(μ_k(x), v_k I) of a <see cref="ReverseTransition"/> (μ from x̂₀(x)).
/// Twist p̃_k(y | x) = N(y; x̂₀(x)[known], (s_y² + r_k²) I) with r_k² = σ_k²/(α_k² + σ_k²) (the posterior variance of
/// x₀ for unit-variance data). Proposal q_k(x' | x) = N(μ_k(x) + v_k ∇log p̃_k(y | x), v_k I); the gradient is a forward
/// difference of the denoiser (d extra evaluations per step; its accuracy affects efficiency only, never exactness).</para>
/// <para>Weights: G₀ = p̃₀(y | x₀); G_{k+1} = M_k(x' | x) p̃_{k+1}(y | x') / (q_k(x' | x) p̃_k(y | x)), where
/// log M − log q = −v_k‖∇‖²/2 − √v_k ∇·z for x' = μ + v_k∇ + √v_k z; after the last move the final potential
/// N(y; x_N[known], s_y² I)/p̃_N(y | x_N) replaces the twist by the exact likelihood. The product telescopes, so for
/// any twist the weighted particles target p_sampler(x_N)·N(y; x_N[known], s_y²I)/Ẑ and Ẑ is unbiased for
/// p_sampler(y) (the particles end at t_N, not denoised: the grid must end at σ &gt; 0). NFE per particle =
/// (d + 1)·N + 1.</para>
/// <para>Randomness and threads as in <see cref="FeynmanKacCorrector"/>: bit-identical for every thread count.</para>
/// </remarks>
public static class TwistedSmc
{
    private const ulong NoisePurpose = 0x5444_5331_4E; // "TDS1N"
    private const ulong ResamplePurpose = 0x5444_5331_52; // "TDS1R"

    /// <summary>Runs the twisted particle system.</summary>
    /// <param name="model">Factory of the (unconditional) model; one instance per worker thread.</param>
    /// <param name="grid">The time grid on the model's schedule; σ must be positive at its last time.</param>
    /// <param name="known">Indices of the observed coordinates.</param>
    /// <param name="values">The observation y, one value per known index.</param>
    /// <param name="initial">N rows of d values from p_{t₀}; not modified.</param>
    /// <param name="options">Observation noise, transition, resampling, seed and threads.</param>
    /// <exception cref="ArgumentException">Shapes or indices are bad, a setting is out of range, or the weights collapse.</exception>
    public static SteeringResult Run(Func<IDiffusionModel> model, SamplingGrid grid, IReadOnlyList<int> known, IReadOnlyList<double> values,
        ReadOnlySpan<double> initial, TwistedSmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);
        var first = model() ?? throw new ArgumentException("the model factory returned null.", nameof(model));
        int d = first.Dimension, m = known.Count;
        if (m == 0 || known.Distinct().Count() != m || known.Any(i => i < 0 || i >= d))
            throw new ArgumentException($"known indices must be distinct, in [0, {d}) and at least one.", nameof(known));
        if (values.Count != m) throw new ArgumentException($"{m} known indices but {values.Count} values.", nameof(values));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("observed values must be finite.", nameof(values));
        if (initial.Length == 0 || initial.Length % d != 0)
            throw new ArgumentException($"initial needs N·{d} values with N ≥ 1, got {initial.Length}.", nameof(initial));
        if (first.Schedule.Name != grid.Schedule.Name)
            throw new ArgumentException($"the grid's schedule ({grid.Schedule.Name}) differs from the model's ({first.Schedule.Name}).", nameof(grid));
        if (grid.EndsAtZeroNoise)
            throw new ArgumentException("the grid ends at σ = 0; end it at a small positive noise level.", nameof(grid));
        if (!(options.ObservationNoise > 0) || !double.IsFinite(options.ObservationNoise))
            throw new ArgumentException($"the observation noise must be positive and finite, got {options.ObservationNoise}.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.Transition, nameof(options));
        if (!(options.EssThreshold >= 0 && options.EssThreshold <= 1))
            throw new ArgumentException($"the ESS threshold must lie in [0, 1], got {options.EssThreshold}.", nameof(options));
        if (!Enum.IsDefined(options.Resampling)) throw new ArgumentException($"unknown resampling scheme {options.Resampling}.", nameof(options));

        int n = initial.Length / d, steps = grid.Steps;
        int workers = ParticleWeights.Workers(options.Threads, n);
        var models = new IDiffusionModel[workers];
        models[0] = first;
        for (int w = 1; w < workers; w++) models[w] = model();
        var idx = known.ToArray();
        var y = values.ToArray();
        double sy2 = options.ObservationNoise * options.ObservationNoise;
        var sch = first.Schedule;

        var x = initial.ToArray();
        var x0 = new double[n * d];
        var grad = new double[n * d];
        var logTwist = new double[n];
        var previousTwist = new double[n];
        var pending = new double[n];    // log M − log q of the move that produced the particle
        var logW = new double[n];
        var weights = new double[n];
        var ancestors = new int[n];
        var copy = new double[n * d];
        var scalarCopy = new double[n];
        var noise = new double[n * d];
        var scratchX = new double[workers][];
        var scratchOut = new double[workers][];
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, NoisePurpose));
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(options.Seed, ResamplePurpose));
        var trace = new SteeringStep[steps + 1];
        double logZ = 0;

        // log N(y; x̂₀[known], var·I) for one row of denoised values.
        double LogLikelihood(ReadOnlySpan<double> row, double variance)
        {
            double q = 0;
            for (int j = 0; j < m; j++)
            {
                double e = y[j] - row[idx[j]];
                q += e * e;
            }
            return -0.5 * q / variance - 0.5 * m * Math.Log(2 * Math.PI * variance);
        }

        // x̂₀, log p̃_k and (with gradient) ∇log p̃_k by forward differences, for every particle at time t.
        void Twist(double t, double variance, bool gradient)
        {
            ParticleWeights.ForBlocks(n, workers, (w, firstRow, count) =>
            {
                var mdl = models[w];
                int lo = firstRow * d, len = count * d;
                var xs = x.AsSpan(lo, len);
                var out0 = x0.AsSpan(lo, len);
                mdl.Evaluate(t, xs, out0, count);
                PredictionConverter.Convert(sch, t, xs, out0, mdl.Prediction, Prediction.Data);
                for (int p = firstRow; p < firstRow + count; p++) logTwist[p] = LogLikelihood(x0.AsSpan(p * d, d), variance);
                if (!gradient) return;
                if (scratchX[w] is null || scratchX[w].Length < len)
                {
                    scratchX[w] = new double[len];
                    scratchOut[w] = new double[len];
                }
                var px = scratchX[w].AsSpan(0, len);
                var po = scratchOut[w].AsSpan(0, len);
                for (int j = 0; j < d; j++)
                {
                    xs.CopyTo(px);
                    for (int p = 0; p < count; p++) px[p * d + j] += Step(xs[p * d + j]);
                    mdl.Evaluate(t, px, po, count);
                    PredictionConverter.Convert(sch, t, px, po, mdl.Prediction, Prediction.Data);
                    for (int p = 0; p < count; p++)
                    {
                        int row = firstRow + p;
                        double h = px[p * d + j] - xs[p * d + j];
                        grad[row * d + j] = (LogLikelihood(po.Slice(p * d, d), variance) - logTwist[row]) / h;
                    }
                }
            });
        }

        for (int k = 0; k <= steps; k++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            double t = grid.Time(k), a = grid.Alpha(k), s = grid.Sigma(k);
            double variance = sy2 + s * s / (a * a + s * s);
            Array.Copy(logTwist, previousTwist, n);
            Twist(t, variance, gradient: k < steps);
            double before = ParticleLogWeights.LogSumExp(logW);
            for (int p = 0; p < n; p++)
                logW[p] += k == 0 ? logTwist[p] : pending[p] + logTwist[p] - previousTwist[p];
            if (k == steps)
            {
                // Final potential: the exact likelihood of x_N over the last twist.
                for (int p = 0; p < n; p++) logW[p] += LogLikelihood(x.AsSpan(p * d, d), sy2) - logTwist[p];
            }
            logZ += ParticleLogWeights.LogSumExp(logW) - before;
            double ess = ParticleWeights.Normalise(logW, weights, t);
            if (k == steps)
            {
                trace[k] = new SteeringStep(t, ess, logZ, false);
                break;
            }
            bool resample = ess < options.EssThreshold * n;
            if (resample)
            {
                Resampler.Resample(options.Resampling, weights, ancestors, uniforms, (ulong)k);
                ParticleLogWeights.Gather(x, copy, ancestors, d);
                ParticleLogWeights.Gather(x0, copy, ancestors, d);
                ParticleLogWeights.Gather(grad, copy, ancestors, d);
                ParticleLogWeights.Gather(logTwist, scalarCopy, ancestors, 1);
                Array.Fill(logW, 0.0);
            }
            trace[k] = new SteeringStep(t, ess, logZ, resample);

            // x' = c_x x + c₀ x̂₀ + v∇ + √v z;  pending = log M − log q = −v‖∇‖²/2 − √v ∇·z.
            var (cx, c0, std) = options.Transition.Coefficients(grid, k);
            double v = std * std;
            ulong stream = (ulong)k;
            ParticleWeights.ForBlocks(n, workers, (w, firstRow, count) =>
            {
                int lo = firstRow * d, len = count * d;
                normals.FillStream(stream, (ulong)lo, noise.AsSpan(lo, len));
                for (int p = firstRow; p < firstRow + count; p++)
                {
                    double g2 = 0, gz = 0;
                    for (int j = p * d; j < (p + 1) * d; j++)
                    {
                        double g = grad[j], z = noise[j];
                        g2 += g * g;
                        gz += g * z;
                        x[j] = cx * x[j] + c0 * x0[j] + v * g + std * z;
                    }
                    pending[p] = -0.5 * v * g2 - std * gz;
                }
            });
        }
        return new SteeringResult(d, x, (double[])weights.Clone(), logZ, trace, (d + 1) * steps + 1);
    }

    /// <summary>Forward-difference step for a coordinate of size |v|: √ε·max(1, |v|).</summary>
    private static double Step(double v) => 1.5e-8 * Math.Max(1, Math.Abs(v));
}
