using System.Runtime.CompilerServices;
using Drift.Random;
using Drift.Sampling.Adaptation;
using Drift.Sampling.Targets;

namespace Drift.Sampling;

/// <summary>
/// The one entry point for Markov chain Monte Carlo: <c>Mcmc.Sample(target, options)</c> runs every chain (warm-up,
/// then draws) in parallel and returns the draws with their sampler statistics.
/// </summary>
/// <remarks>
/// <para>Warm-up is Stan's (Stan Reference Manual, "HMC algorithm parameters"): the step size is first found by
/// <c>init_stepsize</c>'s doubling/halving, then adapted every iteration by dual averaging
/// (<see cref="DualAveraging"/>, δ = 0.8, γ = 0.05, κ = 0.75, t₀ = 10); the metric is re-estimated at the end of each
/// slow window (<see cref="AdaptationWindows"/>: 75 / 25·2ᵏ / 50) with Stan's regularisation
/// (<see cref="MetricEstimator"/>), after which the step-size search reruns and dual averaging restarts with
/// μ = log(10ε). After warm-up ε = e^x̄. MALA, ULA and RWM use the same schedule with their own target acceptance
/// (0.574, 0.574, 0.234) and the metric as proposal covariance shape.</para>
/// <para>Reproducibility: every variate of chain c at iteration t is drawn from <see cref="StepDraws"/>(seed, c, t);
/// initial points and the first step-size search from keys derived from the seed. Chains share nothing, so the
/// draws are bit-identical for any <see cref="McmcOptions.Threads"/>.</para>
/// </remarks>
public static class Mcmc
{
    private const ulong InitPurpose = 0x4D43_4D43_494E_4954;   // "MCMCINIT"
    private const ulong SearchPurpose = 0x4D43_4D43_5354_4550; // "MCMCSTEP"

    /// <summary>Runs the chains.</summary>
    /// <exception cref="ArgumentException">Invalid options, or no initial point with a finite log-density
    /// (the message names the parameters whose value or gradient is not finite).</exception>
    /// <exception cref="OperationCanceledException">When <see cref="McmcOptions.CancellationToken"/> fires.</exception>
    public static McmcResult Sample<TTarget>(TTarget target, McmcOptions options)
        where TTarget : struct, ILogDensity
    {
        ArgumentNullException.ThrowIfNull(options);
        int d = target.Dimension;
        if (d < 1) throw new ArgumentException($"the target's dimension is {d}; it must be at least 1.", nameof(target));
        options.Validate(d);
        var names = options.ParameterNames?.ToArray() ?? Enumerable.Range(1, d).Select(i => $"x[{i}]").ToArray();
        var shard = options.Shard ?? Drift.Ensembles.Shard.Whole;
        int first = (int)shard.FirstPath(options.Chains), count = (int)shard.EndPath(options.Chains) - first;
        var result = new McmcResult(names, options, count, first);
        ChainRuns.ForEachChain(count, options.Threads, local => RunChain(target, options, first + local, local, result), options.CancellationToken);
        return result;
    }

    /// <summary>
    /// The initial points that <see cref="Sample{TTarget}"/> would start its chains from with these options (chain-major,
    /// d values per chain): the user's <see cref="McmcOptions.Initial"/>, or the first random draw on (−r, r)ᵈ with a finite
    /// log-density and gradient. Used to check a target's gradient where sampling will start.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or no admissible initial point (as <see cref="Sample{TTarget}"/>).</exception>
    public static double[] InitialPoints<TTarget>(TTarget target, McmcOptions options) where TTarget : struct, ILogDensity
    {
        ArgumentNullException.ThrowIfNull(options);
        int d = target.Dimension;
        if (d < 1) throw new ArgumentException($"the target's dimension is {d}; it must be at least 1.", nameof(target));
        options.Validate(d);
        var points = new double[d * options.Chains];
        for (int chain = 0; chain < options.Chains; chain++)
        {
            var sampler = new ChainSampler<TTarget>(target, options) { StepSize = options.StepSize };
            Initialise(sampler, options, chain, d);
            sampler.Position.CopyTo(points.AsSpan(chain * d, d));
        }
        return points;
    }

    /// <summary>Runs global chain <paramref name="chain"/> (its draws keyed by it) into the result's chain <paramref name="local"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunChain<TTarget>(TTarget target, McmcOptions options, int chain, int local, McmcResult result)
        where TTarget : struct, ILogDensity
    {
        int d = target.Dimension;
        var sampler = new ChainSampler<TTarget>(target, options) { StepSize = options.StepSize };
        Initialise(sampler, options, chain, d);

        bool adaptStep = options.AdaptStepSize && options.Warmup > 0;
        bool adaptMetric = options.Metric != MetricKind.Unit && options.Warmup > 0;
        var dual = new DualAveraging(options.EffectiveTargetAcceptance);
        var windows = new AdaptationWindows(options.Warmup);
        var estimator = adaptMetric ? new MetricEstimator(d, options.Metric == MetricKind.Dense) : null;
        var inverse = new double[options.Metric == MetricKind.Dense ? d * d : d];
        if (adaptStep)
        {
            var search = new StepDraws(SeedMixer.Derive(options.Seed, SearchPurpose), (ulong)chain, 0);
            sampler.InitStepSize(ref search);
            dual.Mu = Math.Log(10 * sampler.StepSize);
            dual.Restart();
        }

        int total = options.Warmup + options.Draws, reportEvery = Math.Max(1, total / 100);
        var stats = result.StatisticsOf(local);
        for (int t = 0; t < total; t++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var draws = new StepDraws(options.Seed, (ulong)chain, (ulong)t);
            sampler.Transition(ref draws);
            if (t < options.Warmup)
            {
                if (sampler.Divergent) stats.WarmupDivergences++;
                if (adaptStep) sampler.StepSize = dual.Learn(sampler.AcceptStat);
                if (estimator is not null)
                {
                    if (windows.InSlowWindow) estimator.Add(sampler.Position);
                    if (windows.EndOfWindow)
                    {
                        windows.ComputeNextWindow();
                        if (estimator.Estimate(inverse)) sampler.Metric.Update(inverse);
                        if (adaptStep)
                        {
                            sampler.InitStepSize(ref draws);
                            dual.Mu = Math.Log(10 * sampler.StepSize);
                            dual.Restart();
                        }
                    }
                    windows.Advance();
                }
                if (t == options.Warmup - 1 && adaptStep) sampler.StepSize = dual.Final;
            }
            else
            {
                result.Record(local, t - options.Warmup, sampler);
            }
            if (options.Progress is { } progress && ((t + 1) % reportEvery == 0 || t + 1 == total))
                progress.Report(new McmcProgress(local, t + 1, total, t < options.Warmup));
        }
        stats.StepSize = sampler.StepSize;
        stats.InverseMetric = sampler.Metric.Inverse.ToArray();
    }

    private static void Initialise<TTarget>(ChainSampler<TTarget> sampler, McmcOptions options, int chain, int d)
        where TTarget : struct, ILogDensity
    {
        var point = new double[d];
        if (options.Initial is { } init)
        {
            int offset = init.Count == d ? 0 : chain * d;
            for (int i = 0; i < d; i++) point[i] = init[offset + i];
            double lp = sampler.SetPosition(point);
            if (double.IsFinite(lp) && AllFinite(sampler.Gradient)) return;
            throw new ArgumentException($"chain {chain}: the initial point has log-density {lp}{Culprits(point, sampler.Gradient, options)}.", nameof(options));
        }
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var draws = new StepDraws(SeedMixer.Derive(options.Seed, InitPurpose), (ulong)chain, (ulong)attempt);
            for (int i = 0; i < d; i++) point[i] = options.InitRadius * (2 * draws.NextUniform() - 1);
            double lp = sampler.SetPosition(point);
            if (double.IsFinite(lp) && AllFinite(sampler.Gradient)) return;
            if (attempt == 99)
                throw new ArgumentException($"chain {chain}: no initial point with a finite log-density and gradient in 100 draws on (-{options.InitRadius}, {options.InitRadius})^d; the last had log-density {lp}{Culprits(point, sampler.Gradient, options)}.", nameof(options));
        }
    }

    private static bool AllFinite(ReadOnlySpan<double> x)
    {
        foreach (double v in x) if (!double.IsFinite(v)) return false;
        return true;
    }

    private static string Culprits(ReadOnlySpan<double> point, ReadOnlySpan<double> gradient, McmcOptions options)
    {
        var bad = new List<string>();
        for (int i = 0; i < point.Length; i++)
            if (!double.IsFinite(point[i]) || !double.IsFinite(gradient[i]))
                bad.Add($"{options.ParameterNames?[i] ?? $"x[{i + 1}]"} = {point[i]} (gradient {gradient[i]})");
        return bad.Count == 0 ? "" : "; not finite at " + string.Join(", ", bad);
    }
}
