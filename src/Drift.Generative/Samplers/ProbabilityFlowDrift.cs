using Drift.Generative.Models;
using Drift.Solve;

namespace Drift.Generative.Samplers;

/// <summary>
/// The probability-flow ODE right-hand side v(t, x) = f(t)x − ½g²(t)∇log p_t(x) of a model, as an
/// engine <see cref="IDrift"/> so any <see cref="Drift.Solve.Ode.IOdeSolver"/> integrates it.
/// </summary>
/// <remarks>The batch is the sampler's sample-major chunk: the engine's fixed-step solvers only combine
/// rows element-wise, so the layout inside a batch is the model's business.</remarks>
public readonly struct ProbabilityFlowDrift : IDrift
{
    private readonly SamplerContext _context;

    /// <summary>Wraps the model of a sampler context.</summary>
    public ProbabilityFlowDrift(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <inheritdoc/>
    public int Dimension => _context.Dimension;

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var sch = _context.Grid.Schedule;
        _context.Predict(t, x, dx, Prediction.Score);
        double f = sch.DriftCoefficient(t), half = 0.5 * sch.DiffusionSquared(t);
        int n = paths * _context.Dimension;
        for (int i = 0; i < n; i++) dx[i] = f * x[i] - half * dx[i];
    }
}
