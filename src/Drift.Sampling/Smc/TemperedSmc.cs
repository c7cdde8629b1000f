using Drift.Random;
using Drift.Random.Resampling;
using Drift.Sampling.Numerics;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Smc;

/// <summary>
/// Tempered sequential Monte Carlo (Del Moral, Doucet &amp; Jasra 2006) from a prior p₀ to the posterior
/// π₁ ∝ p₀ · L through π_β ∝ p₀ · L^β, 0 = β₀ &lt; β₁ &lt; … &lt; β_K = 1, with adaptive temperatures (Zhou, Johansen &amp;
/// Aston 2016) and the evidence estimate log Ẑ.
/// </summary>
/// <remarks>
/// <para>Each stage: (1) the next temperature β′ solves CESS(β′) = τN by bisection, where
/// CESS = N (Σᵢ Wᵢ wᵢ)² / Σᵢ Wᵢ wᵢ², wᵢ = L(xᵢ)^{β′ − β} (β′ = 1 when CESS(1) ≥ τN); (2) reweight
/// Wᵢ ∝ Wᵢ wᵢ and add log Σᵢ Wᵢ wᵢ to log Ẑ; (3) resample (<see cref="TemperedSmcOptions.Resampling"/>) when
/// ESS = 1/Σ Wᵢ² &lt; ρN; (4) move every particle by <see cref="TemperedSmcOptions.MoveSteps"/> Metropolis–Hastings steps
/// that leave π_β′ invariant, random-walk or MALA, with proposal covariance h² Σ̂ where Σ̂ is the weighted particle
/// covariance and h adapts between stages by h ← h·exp(2(a − a*)) toward the acceptance a* = 0.234 (random walk) or
/// 0.574 (MALA) (Roberts &amp; Rosenthal 2001). Adapting from the particle cloud between stages keeps each move kernel
/// π_β′-invariant given the past, so Ẑ stays unbiased.</para>
/// <para>Reproducibility: particle p's variates at move step s of stage k are <see cref="StepDraws"/>(seed, p, k·S + s)
/// under a derived key, its prior draw (seed, p, 0) under another, and resampling at stage k uses stream k; targets are
/// evaluated in fixed blocks of 64 particles whatever the thread count. Results are bit-identical for any
/// <see cref="TemperedSmcOptions.Threads"/>.</para>
/// </remarks>
public static class TemperedSmc
{
    private const ulong InitPurpose = 0x534D_4349_4E49_5400;     // "SMCINIT"
    private const ulong MovePurpose = 0x534D_434D_4F56_4500;     // "SMCMOVE"
    private const ulong ResamplePurpose = 0x534D_4352_4553_4D00; // "SMCRESM"
    private const int Block = 64;

    /// <summary>Runs tempered SMC from <paramref name="prior"/> to the posterior ∝ prior · likelihood.</summary>
    /// <param name="prior">p₀: log-density, gradient and exact draws.</param>
    /// <param name="likelihood">log L and ∇ log L (any unnormalised log-density; −∞ outside its support).</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">Invalid options, dimensions that differ, a NaN or +∞ log-likelihood (the message
    /// names the particle and its point), or no temperature ladder within <see cref="TemperedSmcOptions.MaxStages"/>.</exception>
    /// <exception cref="OperationCanceledException">When <see cref="TemperedSmcOptions.CancellationToken"/> fires.</exception>
    public static TemperedSmcResult Sample<TPrior, TLikelihood>(TPrior prior, TLikelihood likelihood, TemperedSmcOptions options)
        where TPrior : struct, IPrior
        where TLikelihood : struct, ILogDensity
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int d = prior.Dimension;
        if (d < 1) throw new ArgumentException($"the prior's dimension is {d}; it must be at least 1.", nameof(prior));
        if (likelihood.Dimension != d)
            throw new ArgumentException($"the likelihood's dimension {likelihood.Dimension} differs from the prior's {d}.", nameof(likelihood));
        var run = new Run<TPrior, TLikelihood>(prior, likelihood, options, d);
        try
        {
            return run.Execute();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>
    /// The conditional-ESS fraction CESS/N = (Σᵢ Wᵢ wᵢ)² / Σᵢ Wᵢ wᵢ² of the increment wᵢ = exp(δ ℓᵢ) (ℓᵢ = log L(xᵢ), −∞
    /// allowed), computed with the largest δℓᵢ subtracted.
    /// </summary>
    internal static double CessFraction(ReadOnlySpan<double> weights, ReadOnlySpan<double> logLikelihood, double delta)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] > 0) max = Math.Max(max, delta * logLikelihood[i]);
        if (!double.IsFinite(max)) return 0;
        double s1 = 0, s2 = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            double w = Math.Exp(delta * logLikelihood[i] - max);
            s1 += weights[i] * w;
            s2 += weights[i] * w * w;
        }
        return s1 * s1 / s2;
    }

    /// <summary>The next temperature: 1 when CESS(1 − β) ≥ τ, else the bisection root of CESS(δ) = τ on (0, 1 − β).</summary>
    internal static double NextTemperature(double beta, ReadOnlySpan<double> weights, ReadOnlySpan<double> logLikelihood, double tau)
    {
        double hi = 1 - beta;
        if (CessFraction(weights, logLikelihood, hi) >= tau) return 1;
        double lo = 0;
        for (int it = 0; it < 100 && hi - lo > 1e-15 * (1 + beta); it++)
        {
            double mid = 0.5 * (lo + hi);
            if (CessFraction(weights, logLikelihood, mid) >= tau) lo = mid; else hi = mid;
        }
        double delta = lo > 0 ? lo : hi;
        return Math.Min(1, beta + delta);
    }

    private sealed class Run<TPrior, TLikelihood>
        where TPrior : struct, IPrior
        where TLikelihood : struct, ILogDensity
    {
        private readonly TPrior _prior;
        private readonly TLikelihood _likelihood;
        private readonly TemperedSmcOptions _o;
        private readonly int _d, _n, _blocks;
        private readonly double[] _x, _logPrior, _logLik, _gradPrior, _gradLik;
        private readonly ParallelOptions _parallel;

        public Run(TPrior prior, TLikelihood likelihood, TemperedSmcOptions options, int d)
        {
            _prior = prior;
            _likelihood = likelihood;
            _o = options;
            _d = d;
            _n = options.Particles;
            _blocks = (_n + Block - 1) / Block;
            _x = new double[_n * d];
            _logPrior = new double[_n];
            _logLik = new double[_n];
            _gradPrior = new double[_n * d];
            _gradLik = new double[_n * d];
            _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? -1 : options.Threads, CancellationToken = options.CancellationToken };
        }

        public TemperedSmcResult Execute()
        {
            int n = _n, d = _d;
            ulong initSeed = SeedMixer.Derive(_o.Seed, InitPurpose);
            Parallel.For(0, _blocks, _parallel, b =>
            {
                var (first, count) = Range(b);
                for (int p = first; p < first + count; p++)
                {
                    var draws = new StepDraws(initSeed, (ulong)p, 0);
                    _prior.Draw(ref draws, _x.AsSpan(p * d, d));
                }
                Evaluate(_x.AsSpan(first * d, count * d), _logPrior.AsSpan(first, count), _gradPrior.AsSpan(first * d, count * d),
                    _logLik.AsSpan(first, count), _gradLik.AsSpan(first * d, count * d), count, new Scratch(d));
            });
            for (int p = 0; p < n; p++) CheckLikelihood(p);

            var logW = new double[n];
            var weights = new double[n];
            weights.AsSpan().Fill(1.0 / n);
            var ancestors = new int[n];
            var copy = new double[n * d];
            var scalarCopy = new double[n];
            var uniforms = new PhiloxUniforms(SeedMixer.Derive(_o.Seed, ResamplePurpose));
            var stages = new List<SmcStage>();
            double beta = 0, logZ = 0;
            bool mala = _o.Kernel == SmcKernel.Mala;
            double h = mala ? 1.65 / Math.Pow(d, 1.0 / 6) : 2.38 / Math.Sqrt(d);
            double targetAccept = mala ? 0.574 : 0.234;
            while (beta < 1)
            {
                _o.CancellationToken.ThrowIfCancellationRequested();
                if (stages.Count == _o.MaxStages)
                    throw new ArgumentException($"tempered SMC reached {_o.MaxStages} temperatures at β = {beta}; raise MaxStages, Particles or MoveSteps, or lower CessFraction.", nameof(_o.MaxStages));
                double next = NextTemperature(beta, weights, _logLik, _o.CessFraction);
                double delta = next - beta;
                double before = ParticleLogWeights.LogSumExp(logW);
                for (int p = 0; p < n; p++) logW[p] += delta * _logLik[p];
                logZ += ParticleLogWeights.LogSumExp(logW) - before;
                double ess = ParticleLogWeights.Normalise(logW, weights);
                if (double.IsNaN(ess))
                    throw new ArgumentException($"every particle has zero weight at β = {next}: the log-likelihood is −∞ on all particles.", "likelihood");
                beta = next;
                bool resample = ess < _o.ResampleThreshold * n;
                if (resample)
                {
                    Resampler.Resample(_o.Resampling, weights, ancestors, uniforms, (ulong)stages.Count);
                    ParticleLogWeights.Gather(_x, copy, ancestors, d);
                    ParticleLogWeights.Gather(_gradPrior, copy, ancestors, d);
                    ParticleLogWeights.Gather(_gradLik, copy, ancestors, d);
                    ParticleLogWeights.Gather(_logPrior, scalarCopy, ancestors, 1);
                    ParticleLogWeights.Gather(_logLik, scalarCopy, ancestors, 1);
                    logW.AsSpan().Clear();
                    weights.AsSpan().Fill(1.0 / n);
                }
                double acceptance = double.NaN;
                if (_o.MoveSteps > 0)
                {
                    var chol = CovarianceFactor(weights);
                    acceptance = Move(chol, h, beta, stages.Count, mala);
                }
                stages.Add(new SmcStage(beta, ess, resample, acceptance, h));
                if (double.IsFinite(acceptance)) h = Math.Clamp(h * Math.Exp(2 * (acceptance - targetAccept)), 1e-6, 1e3);
                _o.Progress?.Report(new SmcProgress(stages.Count, beta));
            }
            return new TemperedSmcResult(d, _x, weights, logZ, stages);
        }

        private (int First, int Count) Range(int block)
        {
            int first = block * Block;
            return (first, Math.Min(Block, _n - first));
        }

        private void CheckLikelihood(int p)
        {
            double l = _logLik[p];
            if (double.IsNaN(l) || double.IsPositiveInfinity(l))
                throw new ArgumentException($"the log-likelihood is {l} at prior draw {p}, x = ({string.Join(", ", _x.AsSpan(p * _d, _d).ToArray())}); it must be finite or −∞.");
            if (double.IsNaN(_logPrior[p]) || double.IsInfinity(_logPrior[p]))
                throw new ArgumentException($"the prior's log-density is {_logPrior[p]} at its own draw {p}; it must be finite there.");
        }

        /// <summary>Per-block buffers: a component-major copy of the block and the targets' outputs.</summary>
        private sealed class Scratch(int d)
        {
            public readonly double[] X = new double[d * Block], Lp = new double[Block], Gp = new double[d * Block], Ll = new double[Block], Gl = new double[d * Block];
            public readonly double[] Y = new double[d * Block], YLogPrior = new double[Block], YLogLik = new double[Block], YGradPrior = new double[d * Block], YGradLik = new double[d * Block];
            public readonly double[] LogQForward = new double[Block];
            public readonly double[] Z = new double[d], Mean = new double[d], Tmp = new double[d];
        }

        /// <summary>
        /// Evaluates prior and likelihood at the <c>count</c> particle-major rows of <paramref name="x"/> (one block), through
        /// a component-major copy; a NaN log-likelihood becomes −∞.
        /// </summary>
        private void Evaluate(ReadOnlySpan<double> x, Span<double> logPrior, Span<double> gradPrior, Span<double> logLik, Span<double> gradLik, int count, Scratch s)
        {
            int d = _d;
            var xb = s.X.AsSpan(0, d * count);
            for (int c = 0; c < count; c++)
                for (int i = 0; i < d; i++) xb[i * count + c] = x[c * d + i];
            _prior.Evaluate(xb, s.Lp.AsSpan(0, count), s.Gp.AsSpan(0, d * count));
            _likelihood.Evaluate(xb, s.Ll.AsSpan(0, count), s.Gl.AsSpan(0, d * count));
            for (int c = 0; c < count; c++)
            {
                logPrior[c] = s.Lp[c];
                logLik[c] = double.IsNaN(s.Ll[c]) ? double.NegativeInfinity : s.Ll[c];
                for (int i = 0; i < d; i++)
                {
                    gradPrior[c * d + i] = s.Gp[i * count + c];
                    gradLik[c * d + i] = s.Gl[i * count + c];
                }
            }
        }

        /// <summary>The lower Cholesky factor of the weighted particle covariance, regularised until positive definite.</summary>
        private double[] CovarianceFactor(double[] weights)
            => SmallDense.RegularisedCholesky(SmallDense.WeightedMoments(_x, weights, _d, new double[_d]), _d);

        /// <summary>MoveSteps Metropolis–Hastings steps for every particle at temperature β &gt; 0; returns the acceptance rate.</summary>
        private double Move(double[] chol, double h, double beta, int stage, bool mala)
        {
            int d = _d;
            var accepted = new long[_blocks];
            ulong moveSeed = SeedMixer.Derive(_o.Seed, MovePurpose);
            Parallel.For(0, _blocks, _parallel, b =>
            {
                var (first, count) = Range(b);
                var s = new Scratch(d);
                var draws = new StepDraws[count];
                for (int step = 0; step < _o.MoveSteps; step++)
                {
                    _o.CancellationToken.ThrowIfCancellationRequested();
                    for (int c = 0; c < count; c++)
                    {
                        int p = first + c;
                        draws[c] = new StepDraws(moveSeed, (ulong)p, (ulong)stage * (ulong)_o.MoveSteps + (ulong)step);
                        double z2 = 0;
                        for (int i = 0; i < d; i++)
                        {
                            s.Z[i] = draws[c].NextNormal();
                            z2 += s.Z[i] * s.Z[i];
                        }
                        SmallDense.MultiplyLower(chol, d, s.Z, s.Tmp);
                        var xp = _x.AsSpan(p * d, d);
                        var yp = s.Y.AsSpan(c * d, d);
                        if (mala)
                        {
                            Preconditioned(chol, _gradPrior.AsSpan(p * d, d), _gradLik.AsSpan(p * d, d), beta, s.Mean);
                            for (int i = 0; i < d; i++) yp[i] = xp[i] + 0.5 * h * h * s.Mean[i] + h * s.Tmp[i];
                        }
                        else
                        {
                            for (int i = 0; i < d; i++) yp[i] = xp[i] + h * s.Tmp[i];
                        }
                        s.LogQForward[c] = -0.5 * z2; // log q(y | x) up to the constant shared with q(x | y)
                    }
                    Evaluate(s.Y.AsSpan(0, count * d), s.YLogPrior, s.YGradPrior, s.YLogLik, s.YGradLik, count, s);
                    for (int c = 0; c < count; c++)
                    {
                        int p = first + c;
                        double logTargetY = s.YLogPrior[c] + beta * s.YLogLik[c];
                        if (!double.IsFinite(logTargetY)) continue;
                        double logRatio = logTargetY - (_logPrior[p] + beta * _logLik[p]);
                        if (mala)
                        {
                            // log q(x | y) = −|L⁻¹(x − y − ½h² Σ∇log π_β(y))|²/(2h²); log q(y | x) = −|z|²/2.
                            Preconditioned(chol, s.YGradPrior.AsSpan(c * d, d), s.YGradLik.AsSpan(c * d, d), beta, s.Mean);
                            for (int i = 0; i < d; i++) s.Tmp[i] = (_x[p * d + i] - s.Y[c * d + i] - 0.5 * h * h * s.Mean[i]) / h;
                            SmallDense.SolveLower(chol, d, s.Tmp);
                            double r2 = 0;
                            for (int i = 0; i < d; i++) r2 += s.Tmp[i] * s.Tmp[i];
                            logRatio += -0.5 * r2 - s.LogQForward[c];
                        }
                        if (Math.Log(draws[c].NextUniform()) < logRatio)
                        {
                            accepted[b]++;
                            s.Y.AsSpan(c * d, d).CopyTo(_x.AsSpan(p * d, d));
                            s.YGradPrior.AsSpan(c * d, d).CopyTo(_gradPrior.AsSpan(p * d, d));
                            s.YGradLik.AsSpan(c * d, d).CopyTo(_gradLik.AsSpan(p * d, d));
                            _logPrior[p] = s.YLogPrior[c];
                            _logLik[p] = s.YLogLik[c];
                        }
                    }
                }
            });
            long total = 0;
            foreach (long a in accepted) total += a;
            return total / ((double)_n * _o.MoveSteps);
        }

        /// <summary>Σ ∇log π_β = L Lᵀ (∇log p₀ + β ∇log L) into <paramref name="result"/>.</summary>
        private void Preconditioned(double[] chol, ReadOnlySpan<double> gradPrior, ReadOnlySpan<double> gradLik, double beta, Span<double> result)
        {
            int d = _d;
            Span<double> lt = d <= 128 ? stackalloc double[d] : new double[d];
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int i = j; i < d; i++) sum += chol[i * d + j] * (gradPrior[i] + beta * gradLik[i]);
                lt[j] = sum;
            }
            SmallDense.MultiplyLower(chol, d, lt, result);
        }
    }
}
