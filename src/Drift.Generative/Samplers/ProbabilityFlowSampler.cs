using Drift.Generative.Grids;
using Drift.Solve;
using Drift.Solve.Ode;

namespace Drift.Generative.Samplers;

/// <summary>
/// The probability-flow ODE dx/dt = f(t)x − ½g²(t)∇log p_t(x) (Song et al. 2021) integrated along the
/// grid by any fixed-step engine ODE solver (<see cref="RungeKutta4"/>, <see cref="Heun"/>, …), so a
/// better integrator swaps in through <typeparamref name="TSolver"/>. NFE = stages × steps.
/// </summary>
/// <typeparam name="TSolver">The engine ODE solver.</typeparam>
public sealed class ProbabilityFlowSampler<TSolver> : DiffusionSampler
    where TSolver : struct, IOdeSolver
{
    private readonly SolverScratch _scratch = new();

    /// <inheritdoc/>
    public override string Name => $"ode-{default(TSolver).Name}";
    /// <inheritdoc/>
    public override bool IsStochastic => false;
    /// <inheritdoc/>
    protected internal override int BufferCount => 1;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid)
        => default(TSolver).EvaluationsPerStep * (grid.EndsAtZeroNoise ? grid.Steps - 1 : grid.Steps) + (grid.EndsAtZeroNoise ? 1 : 0);

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var f = new ProbabilityFlowDrift(context);
        var solver = default(TSolver);
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, context.Buffer(0), evaluate: true);
                break;
            }
            solver.Step(ref f, _scratch, g.Time(i), g.Time(i + 1) - g.Time(i), x, context.Count);
        }
    }
}
