using Drift.Solve.Ode;

namespace Drift.Solve.Adaptive;

/// <summary>
/// An embedded pair run on a fixed grid, as an <see cref="IOdeSolver"/>: the propagated solution ŷ of
/// <see cref="IEmbeddedMethod.Step{TDrift}"/> is taken and its error estimate ignored. This is what a solve
/// with a <see cref="ConstantStep"/> controller does with an embedded method, so that Tsit5 and RK4 are
/// interchangeable under either controller.
/// </summary>
/// <remarks>
/// The pair advances one path at a time (its drift calls have <c>paths = 1</c>), gathering each path's
/// column into a contiguous state: one evaluation of f(t, y) per step on top of the pair's own
/// (<see cref="EvaluationsPerStep"/>), since first-same-as-last reuse would need state carried per path.
/// Scratch slots 0–2 hold y, ŷ and the stages; nothing is allocated per step.
/// </remarks>
/// <typeparam name="TMethod">The embedded pair.</typeparam>
/// <param name="method">The embedded pair.</param>
public readonly struct EmbeddedFixedStep<TMethod>(TMethod method) : IOdeSolver
    where TMethod : struct, IEmbeddedMethod
{
    private readonly TMethod _method = method;

    /// <inheritdoc/>
    public string Name => _method.Name;
    /// <inheritdoc/>
    public int Order => _method.Order;
    /// <summary>The pair's evaluations plus f(t, y) at the start of every step.</summary>
    public int EvaluationsPerStep => _method.EvaluationsPerStep + 1;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, SolverScratch scratch, double t, double h, Span<double> x, int paths)
        where TDrift : struct, IDrift
    {
        int d = f.Dimension;
        var y = scratch.Slot(0, d);
        var yNew = scratch.Slot(1, d);
        var stages = scratch.Slot(2, _method.StageRows * d);
        for (int p = 0; p < paths; p++)
        {
            for (int i = 0; i < d; i++) y[i] = x[i * paths + p];
            f.Evaluate(t, y, stages[..d], 1);
            _method.Step(ref f, t, h, y, yNew, stages, 1.0, 1.0);
            for (int i = 0; i < d; i++) x[i * paths + p] = yNew[i];
        }
    }
}
