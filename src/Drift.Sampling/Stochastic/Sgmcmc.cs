using Drift.Random;

namespace Drift.Sampling.Stochastic;

/// <summary>
/// Stochastic-gradient MCMC: <c>Sgmcmc.Sample(target, options)</c> runs SGLD or SGHMC chains in parallel on a
/// minibatch target, with a step-size schedule (constant, polynomially decreasing, or cyclical with exploration
/// stages) and a temperature.
/// </summary>
/// <remarks>
/// <para>With ĝ(θ) = ∇log p(θ) + (N/|B|) Σ_{i∈B} ∇log p(yᵢ ∣ θ), B drawn afresh each iteration without replacement
/// (a partial Fisher–Yates shuffle), ε = ε_t, T the temperature (0 in an exploration stage), ξ ~ N(0, I):</para>
/// <para>SGLD (Welling &amp; Teh 2011, eq. (4)): θ ← θ + (ε/2) ĝ(θ) + √(εT) ξ. For ε → 0 its law tends to
/// π^{1/T}; at a fixed ε the stationary law is biased by O(ε) (on a Gaussian with precision a the variance is
/// T/(a(1 − εa/4))), and minibatch noise adds a further O(ε) spread.</para>
/// <para>SGHMC (Chen, Fox &amp; Guestrin 2014, eq. (5) and Algorithm 2, mass I, momentum never resampled):
/// θ ← θ + ε r, then r ← r + ε ĝ(θ) − εC r + √(2ε max(0, CT − B̂)) ξ, with friction C and B̂ = ½εV̂ the estimated
/// gradient-noise term (<see cref="SgmcmcOptions.EstimateGradientNoise"/>; 0 otherwise). The continuous dynamics
/// leave π(θ)^{1/T} e^{−|r|²/(2T)} invariant.</para>
/// <para>Cyclical SG-MCMC (Zhang et al. 2020) is either kind run with <see cref="StepSchedule.Cyclical"/>: large steps
/// at the start of each cycle move the chain between modes, the exploration stage optimises (T = 0) and only the
/// sampling stage is kept.</para>
/// <para>No Metropolis correction: these are approximate samplers, exact only as ε → 0 with the full batch.
/// Reproducibility: every variate of chain c at iteration t (minibatch and noise) comes from
/// <see cref="StepDraws"/>(seed, c, t); chains share nothing, so draws are bit-identical for any
/// <see cref="SgmcmcOptions.Threads"/>.</para>
/// </remarks>
public static class Sgmcmc
{
    /// <summary>Weight of the newest term in the moving average of the gradient-noise variance V̂.</summary>
    internal const double NoiseAverageWeight = 0.1;

    /// <summary>Runs the chains.</summary>
    /// <exception cref="ArgumentException">Invalid options or target, or a schedule that keeps no draw.</exception>
    /// <exception cref="InvalidOperationException">A chain's state stopped being finite (step too large for the target).</exception>
    /// <exception cref="OperationCanceledException">When <see cref="SgmcmcOptions.CancellationToken"/> fires.</exception>
    public static SgmcmcResult Sample<TTarget>(TTarget target, SgmcmcOptions options) where TTarget : IMinibatchLogDensity
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        int d = target.Dimension, n = target.DataCount;
        if (d < 1) throw new ArgumentException($"the target's dimension is {d}; it must be at least 1.", nameof(target));
        if (n < 1) throw new ArgumentException($"the target has {n} data terms; it must have at least 1.", nameof(target));
        options.Validate(d, n);
        var kept = KeptIterations(options);
        if (kept.Length == 0)
            throw new ArgumentException($"the schedule {options.Schedule} with burn-in {options.Burnin} and thinning {options.Thin} keeps no draw in {options.Iterations} iterations.", nameof(options));
        var names = options.ParameterNames?.ToArray() ?? Enumerable.Range(1, d).Select(i => $"theta[{i}]").ToArray();
        var result = new SgmcmcResult(names, options.Chains, kept);
        ChainRuns.ForEachChain(options.Chains, options.Threads, chain => RunChain(target, options, chain, result), options.CancellationToken);
        return result;
    }

    private static long[] KeptIterations(SgmcmcOptions options)
    {
        var kept = new List<long>();
        long sampling = 0;
        for (long t = options.Burnin; t < options.Iterations; t++)
        {
            if (options.Schedule.IsExploring(t)) continue;
            if (sampling++ % options.Thin == 0) kept.Add(t);
        }
        return [.. kept];
    }

    private static void RunChain<TTarget>(TTarget target, SgmcmcOptions options, int chain, SgmcmcResult result) where TTarget : IMinibatchLogDensity
    {
        int d = target.Dimension;
        var state = new ChainState<TTarget>(target, options);
        if (options.Initial is { } init)
        {
            int offset = init.Count == d ? 0 : chain * d;
            for (int i = 0; i < d; i++) state.Theta[i] = init[offset + i];
        }
        var theta = state.Theta;
        var momentum = state.Momentum;
        var gradient = state.Gradient;
        var noiseVariance = state.NoiseVariance;
        double c = options.Friction;
        int next = 0, reportEvery = Math.Max(1, options.Iterations / 100);
        var keptAt = result.KeptIterations;
        for (long t = 0; t < options.Iterations; t++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var draws = new StepDraws(options.Seed, (ulong)chain, (ulong)t);
            double eps = options.Schedule.StepSize(t);
            double temperature = options.Schedule.IsExploring(t) ? 0 : options.Temperature;
            if (options.Sampler == SgmcmcKind.Sgld)
            {
                state.EstimateGradient(ref draws);
                double sd = Math.Sqrt(eps * temperature);
                for (int i = 0; i < d; i++) theta[i] += 0.5 * eps * gradient[i] + sd * draws.NextNormal();
            }
            else
            {
                for (int i = 0; i < d; i++) theta[i] += eps * momentum[i];
                state.EstimateGradient(ref draws);
                for (int i = 0; i < d; i++)
                {
                    double bHat = 0.5 * eps * noiseVariance[i];
                    double sd = Math.Sqrt(2 * eps * Math.Max(0, c * temperature - bHat));
                    momentum[i] += eps * gradient[i] - eps * c * momentum[i] + sd * draws.NextNormal();
                }
            }
            for (int i = 0; i < d; i++)
                if (!double.IsFinite(theta[i]) || !double.IsFinite(momentum[i]))
                    throw new InvalidOperationException($"chain {chain}: {result.Names[i]} became {theta[i]} at iteration {t} (step size {eps}); the step is too large for this target.");
            if (next < keptAt.Count && keptAt[next] == t) result.Record(chain, next++, theta);
            if (options.Progress is { } progress && ((t + 1) % reportEvery == 0 || t + 1 == options.Iterations))
                progress.Report(new McmcProgress(chain, (int)(t + 1), options.Iterations, t < options.Burnin));
        }
    }

    /// <summary>A chain's state, its minibatch permutation and the gradient estimate.</summary>
    private sealed class ChainState<TTarget> where TTarget : IMinibatchLogDensity
    {
        private readonly TTarget _target;
        private readonly int _n, _batch;
        private readonly bool _estimateNoise;
        private readonly int[] _permutation;
        private readonly double[] _prior, _half1, _half2;
        private bool _noiseStarted;

        public readonly double[] Theta, Momentum, Gradient, NoiseVariance;

        public ChainState(TTarget target, SgmcmcOptions options)
        {
            _target = target;
            int d = target.Dimension;
            _n = target.DataCount;
            _batch = options.BatchSize == 0 ? _n : options.BatchSize;
            _estimateNoise = options.Sampler == SgmcmcKind.Sghmc && options.EstimateGradientNoise && _batch < _n && _batch >= 2;
            _permutation = Enumerable.Range(0, _n).ToArray();
            Theta = new double[d]; Momentum = new double[d]; Gradient = new double[d]; NoiseVariance = new double[d];
            _prior = new double[d]; _half1 = new double[d]; _half2 = new double[d];
        }

        /// <summary>Gradient ← ĝ(θ) from a fresh minibatch; updates V̂ when estimating the gradient noise.</summary>
        public void EstimateGradient(ref StepDraws draws)
        {
            if (_batch < _n)
                for (int i = 0; i < _batch; i++)
                {
                    int j = i + (int)(draws.NextUniform() * (_n - i));
                    if (j >= _n) j = _n - 1;
                    (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
                }
            _target.LogPrior(Theta, _prior);
            double scale = (double)_n / _batch;
            if (!_estimateNoise)
            {
                _target.LogLikelihood(Theta, _permutation.AsSpan(0, _batch), _half1);
                for (int i = 0; i < Gradient.Length; i++) Gradient[i] = _prior[i] + scale * _half1[i];
                return;
            }
            int b1 = _batch / 2, b2 = _batch - b1;
            _target.LogLikelihood(Theta, _permutation.AsSpan(0, b1), _half1);
            _target.LogLikelihood(Theta, _permutation.AsSpan(b1, b2), _half2);
            double s1 = (double)_n / b1, s2 = (double)_n / b2, correction = 1 - (double)_batch / _n;
            for (int i = 0; i < Gradient.Length; i++)
            {
                Gradient[i] = _prior[i] + scale * (_half1[i] + _half2[i]);
                double diff = s1 * _half1[i] - s2 * _half2[i];
                double v = correction * diff * diff / 4;
                NoiseVariance[i] = _noiseStarted ? (1 - NoiseAverageWeight) * NoiseVariance[i] + NoiseAverageWeight * v : v;
            }
            _noiseStarted = true;
        }
    }
}
