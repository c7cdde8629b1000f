using System.Globalization;
using Drift.Generative.Grids;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Generative.Samplers;

/// <summary>
/// The probability-flow ODE dx/dt = f(t)x − ½g²(t)∇log p_t(x) integrated by the engine's adaptive
/// embedded Runge–Kutta solver (<see cref="Tsitouras5"/>, <see cref="DormandPrince5"/>, …) under a
/// <see cref="PidController"/>, each sample adapting its own steps to the tolerances.
/// </summary>
/// <remarks>
/// <para>The ODE is integrated in logSNR, dx/dλ = (d log σ/dλ)x + α x̂₀(x, t(λ)), from λ(t₀) to λ at the
/// grid's last σ &gt; 0 time; only the grid's end points matter, not its interior times. A final step to
/// σ = 0 follows the grid's final-step policy (x ← α_N x̂₀, one evaluation).</para>
/// <para>NFE is not known before a run: <see cref="DiffusionSampler.Sample"/> returns the run's mean NFE
/// per sample rounded up (every right-hand side evaluation counts, including the initial-step guess) and
/// <see cref="LastRun"/> holds the details. A sample whose solve fails (step underflow, step budget,
/// non-finite model output) keeps the state where it stopped and is counted in
/// <see cref="AdaptiveFlowStatistics.FailedSamples"/>; nothing throws from the integration.
/// One instance serves one run at a time.</para>
/// </remarks>
/// <typeparam name="TMethod">The embedded Runge–Kutta pair.</typeparam>
public sealed class AdaptiveProbabilityFlowSampler<TMethod> : DiffusionSampler
    where TMethod : struct, IEmbeddedMethod
{
    private long _total, _max, _accepted, _rejected;
    private int _samples, _failed;
    private string? _firstFailure;

    /// <summary>Creates the sampler with relative and absolute tolerances (the scaled RMS error per step is kept ≤ 1).</summary>
    /// <exception cref="ArgumentException">A tolerance is not positive and finite.</exception>
    public AdaptiveProbabilityFlowSampler(double relativeTolerance = 1e-5, double absoluteTolerance = 1e-5)
        : this(new PidController { RelativeTolerance = relativeTolerance, AbsoluteTolerance = absoluteTolerance })
    {
    }

    /// <summary>Creates the sampler with a full step-size controller.</summary>
    /// <exception cref="ArgumentException">Invalid controller settings.</exception>
    public AdaptiveProbabilityFlowSampler(PidController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.Validate();
        Controller = controller;
    }

    /// <summary>The step-size controller and tolerances.</summary>
    public PidController Controller { get; }

    /// <summary>Statistics of the last completed run, or null before one.</summary>
    public AdaptiveFlowStatistics? LastRun { get; private set; }

    /// <inheritdoc/>
    public override string Name => $"ode-{default(TMethod).Name}";

    /// <inheritdoc/>
    public override bool IsStochastic => false;

    /// <inheritdoc/>
    protected internal override int BufferCount => 1;

    /// <summary>The mean NFE of the last run rounded up (0 before any run): adaptive work is not known in advance.</summary>
    public override int Evaluations(SamplingGrid grid) => LastRun is null ? 0 : (int)Math.Ceiling(LastRun.MeanEvaluations);

    private protected override void OnRunStarting()
    {
        _total = _max = _accepted = _rejected = 0;
        _samples = _failed = 0;
        _firstFailure = null;
    }

    private protected override int OnRunFinished(int lastChunkEvaluations)
    {
        LastRun = new AdaptiveFlowStatistics(_samples, _total, _max, _accepted, _rejected, _failed, _firstFailure);
        return (int)Math.Ceiling(LastRun.MeanEvaluations);
    }

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = context.Grid;
        int d = context.Dimension, last = g.EndsAtZeroNoise ? g.Steps - 1 : g.Steps;
        double l0 = g.LogSnr(0), l1 = g.LogSnr(last);
        var flow = new LogSnrFlow(context.Model);
        var options = new AdaptiveOptions { Controller = Controller, DetectStiffness = false };
        var method = default(TMethod);
        int extra = g.EndsAtZeroNoise ? 1 : 0;
        var state = new double[d];
        for (int s = 0; s < context.Count; s++)
        {
            var row = x.Slice(s * d, d);
            long nfe = extra;
            if (l1 > l0)
            {
                row.CopyTo(state);
                var solution = AdaptiveOde.Solve(new OdeProblem<LogSnrFlow>(flow, state, l0, l1), method, options);
                solution.FinalState.CopyTo(row);
                nfe += solution.Statistics.FunctionEvaluations;
                _accepted += solution.Statistics.AcceptedSteps;
                _rejected += solution.Statistics.RejectedSteps;
                if (solution.Status != SolveStatus.Success)
                {
                    _failed++;
                    _firstFailure ??= string.Create(CultureInfo.InvariantCulture, $"sample {_samples}: {solution.Status}: {solution.Message}");
                }
            }
            _total += nfe;
            _max = Math.Max(_max, nfe);
            _samples++;
        }
        if (g.EndsAtZeroNoise) DenoiseStep(context, x, context.Buffer(0), evaluate: true);
    }
}
