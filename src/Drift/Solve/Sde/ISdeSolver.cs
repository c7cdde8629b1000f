namespace Drift.Solve.Sde;

/// <summary>
/// A fixed-step SDE solver: one step of a batch of paths from t to t + h given the Brownian
/// increments. Implemented by structs so that ensemble loops specialise for them.
/// </summary>
public interface ISdeSolver
{
    /// <summary>Short name, as the CLI spells it.</summary>
    string Name { get; }

    /// <summary>Strong order of convergence for this noise kind (E|X_T − X_T^h| = O(h^order)).</summary>
    double StrongOrder(NoiseKind noise);

    /// <summary>Weak order of convergence (|E φ(X_T) − E φ(X_T^h)| = O(h^order) for smooth φ).</summary>
    double WeakOrder { get; }

    /// <summary>
    /// Whether the solver converges for noise of this class (<see cref="Noise.Class{TDiffusion}"/>:
    /// <see cref="NoiseKind.Additive"/> whenever g depends on t only, whatever its layout) and calculus.
    /// A solver that accepts a class handles every layout of it.
    /// </summary>
    bool Supports(NoiseKind noise, Calculus calculus);

    /// <summary>Whether steps need the space-time Lévy area H as well as ΔW.</summary>
    bool NeedsLevyArea { get; }

    /// <summary>Drift evaluations per step.</summary>
    int DriftEvaluationsPerStep { get; }

    /// <summary>Diffusion evaluations per step.</summary>
    int DiffusionEvaluationsPerStep { get; }

    /// <summary>Prepares any state the solver carries between steps, at the start of a batch.</summary>
    void Start<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion;

    /// <summary>Advances <paramref name="x"/> (d rows of <paramref name="paths"/>) from t to t + h in place.</summary>
    /// <param name="drift">The drift f.</param>
    /// <param name="diffusion">The diffusion g.</param>
    /// <param name="scratch">Rows the solver may use; its own state persists there between steps.</param>
    /// <param name="t">Start of the step.</param>
    /// <param name="h">Step length.</param>
    /// <param name="dW">m rows of Brownian increments over the step.</param>
    /// <param name="levy">m rows of space-time Lévy areas (empty unless <see cref="NeedsLevyArea"/>).</param>
    /// <param name="x">The batch's states, advanced in place.</param>
    /// <param name="paths">Paths in the batch.</param>
    void Step<TDrift, TDiffusion>(ref TDrift drift, ref TDiffusion diffusion, SolverScratch scratch, double t, double h,
        ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion;
}
