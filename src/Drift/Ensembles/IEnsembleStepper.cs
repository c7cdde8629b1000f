using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>
/// One fixed step of a batch of paths, whatever the equation: the ensemble loop (chunks, Brownian
/// increments, save points, statistics, divergence checks) is generic over this, so a scheme that
/// is not a plain drift/diffusion solver (a Langevin splitting, say) reuses all of it.
/// </summary>
/// <remarks>
/// Implement on a struct; each worker thread gets its own copy. The state is d rows of
/// <c>paths</c> values (component-major); Brownian increments arrive as m rows per step.
/// </remarks>
public interface IEnsembleStepper
{
    /// <summary>State dimension d.</summary>
    int Dimension { get; }

    /// <summary>Brownian dimension m (0 for deterministic schemes).</summary>
    int NoiseDimension { get; }

    /// <summary>Whether steps need space-time Lévy areas as well as increments.</summary>
    bool NeedsLevyArea { get; }

    /// <summary>Steps and evaluations per step (for the solution's counters).</summary>
    SolveCounters CountersPerStep { get; }

    /// <summary>Prepares state carried between steps at the start of a batch.</summary>
    void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths);

    /// <summary>Advances the batch from t to t + h in place.</summary>
    void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths);
}
