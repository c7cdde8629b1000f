using System.Globalization;
using Drift.Generative.Models;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Generative.Likelihood;

/// <summary>
/// log p_ε(x) through the probability-flow ODE with the engine's adaptive solver: the same identity as
/// <see cref="ProbabilityFlowLikelihood"/>, log p_ε(x) = log p_T(x_T) + ∫_ε^T ∇·v dt, but the augmented
/// ODE (x, ℓ) is integrated per sample in logSNR by an embedded Runge–Kutta pair (<see cref="Tsitouras5"/>,
/// <see cref="DormandPrince5"/>, …) to the controller's tolerances instead of fixed RK4 steps.
/// </summary>
/// <remarks>The divergence is exact: the model's analytic ∇·s (<see cref="IScoreDivergence"/>) or central
/// differences along the d axes (2d extra evaluations per right-hand side). Hutchinson estimators stay with
/// the fixed-step <see cref="ProbabilityFlowLikelihood"/>, since a random divergence defeats error control.</remarks>
public static class AdaptiveProbabilityFlowLikelihood
{
    /// <summary>
    /// Computes ℓ = ∫_ε^T ∇·v dt along each sample's flow and the end states x_T, so that
    /// log p_ε(x) = log p_T(x_T) + ℓ.
    /// </summary>
    /// <typeparam name="TMethod">The embedded Runge–Kutta pair.</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="x">Samples × d points at time <paramref name="start"/>; overwritten with x_T.</param>
    /// <param name="samples">Rows.</param>
    /// <param name="start">ε, the time of the data (σ(ε) &gt; 0).</param>
    /// <param name="end">T &gt; ε.</param>
    /// <param name="method">The solver (a default struct value).</param>
    /// <param name="controller">Tolerances and step control (default: rtol = atol = 1e-6).</param>
    /// <param name="evaluations">Optional output: the model evaluations of each sample's solve (right-hand sides; a finite-difference divergence adds 2d model calls to each).</param>
    /// <returns>ℓ per sample.</returns>
    /// <exception cref="ArgumentException">Bad sizes or times.</exception>
    /// <exception cref="InvalidOperationException">A sample's solve failed (the message names it and the reason).</exception>
    public static double[] IntegrateDivergence<TMethod>(IDiffusionModel model, Span<double> x, int samples, double start, double end,
        TMethod method, PidController? controller = null, Span<long> evaluations = default)
        where TMethod : struct, IEmbeddedMethod
    {
        ArgumentNullException.ThrowIfNull(model);
        var sch = model.Schedule;
        sch.CheckTime(start, nameof(start));
        sch.CheckTime(end, nameof(end));
        if (!(end > start) || !(sch.Sigma(start) > 0)) throw new ArgumentException($"need σ(start) > 0 and end > start, got {start}, {end}.", nameof(end));
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        int d = model.Dimension;
        if (x.Length < samples * d) throw new ArgumentException($"x needs {samples * d} values.", nameof(x));
        if (!evaluations.IsEmpty && evaluations.Length < samples) throw new ArgumentException($"evaluations needs {samples} values.", nameof(evaluations));
        controller ??= new PidController { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 };
        var options = new AdaptiveOptions { Controller = controller, DetectStiffness = false };
        var flow = new AugmentedLogSnrFlow(model);
        double u0 = -sch.LogSnr(start), u1 = -sch.LogSnr(end);
        var ell = new double[samples];
        var state = new double[d + 1];
        for (int s = 0; s < samples; s++)
        {
            var row = x.Slice(s * d, d);
            row.CopyTo(state);
            state[d] = 0;
            var solution = AdaptiveOde.Solve(new OdeProblem<AugmentedLogSnrFlow>(flow, state, u0, u1), method, options);
            if (solution.Status != SolveStatus.Success)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"sample {s}: {solution.Status}: {solution.Message}"));
            solution.FinalState[..d].CopyTo(row);
            ell[s] = solution.FinalState[d];
            if (!evaluations.IsEmpty) evaluations[s] = solution.Statistics.FunctionEvaluations;
        }
        return ell;
    }
}
