using Drift.Brownian;
using Drift.Ensembles;
using Drift.Solve;

namespace Drift.Langevin;

/// <summary>
/// Runs ensembles of underdamped Langevin paths through <see cref="Ensemble"/>: the state of a path is
/// [q₁ … qₙ, p₁ … pₙ] (component i &lt; n is a position, n + i the matching momentum), and every
/// guarantee of the ensemble engine holds (per-path Philox noise, bit-identical results whatever the
/// thread count, streaming statistics, save points, divergence reports).
/// </summary>
public static class LangevinEnsemble
{
    /// <summary>Simulates paths on [0, <paramref name="duration"/>] with Brownian noise keyed by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <param name="integrator">The scheme and its parameters (e.g. <see cref="Baoab{TPotential}"/>).</param>
    /// <param name="q0">Initial positions shared by every path (length n).</param>
    /// <param name="p0">Initial momenta shared by every path (length n), or null for zero momenta.</param>
    /// <param name="duration">Simulated time T &gt; 0; the step comes from <see cref="EnsembleOptions.Steps"/> or <see cref="EnsembleOptions.Dt"/>.</param>
    /// <param name="options">Paths, grid, seed and outputs.</param>
    /// <param name="pathInitialStates">Per-path initial states (2n rows: positions then momenta), overriding <paramref name="q0"/> and <paramref name="p0"/>; or null.</param>
    /// <exception cref="ArgumentException">The integrator was default-constructed, a length differs from n, a value is not finite, or the options are invalid.</exception>
    public static EnsembleSolution Solve<TIntegrator>(TIntegrator integrator, double[] q0, double[]? p0, double duration, EnsembleOptions options,
        InitialStates? pathInitialStates = null)
        where TIntegrator : struct, ILangevinIntegrator
    {
        ArgumentNullException.ThrowIfNull(options);
        return Solve(integrator, new PhiloxBrownianIncrements(options.Seed), q0, p0, duration, options, pathInitialStates);
    }

    /// <summary>
    /// The same simulation as a problem for the one solve entry point: <c>DiffEq.Solve(LangevinEnsemble.Problem(…), options)</c>
    /// with a <see cref="ConstantStep"/> controller gives the bits of <see cref="Solve{TIntegrator}"/>.
    /// </summary>
    /// <param name="integrator">The scheme and its parameters (e.g. <see cref="Baoab{TPotential}"/>).</param>
    /// <param name="q0">Initial positions shared by every path (length n).</param>
    /// <param name="p0">Initial momenta shared by every path (length n), or null for zero momenta.</param>
    /// <param name="duration">Simulated time T &gt; 0.</param>
    /// <param name="pathInitialStates">Per-path initial states (2n rows: positions then momenta), or null.</param>
    /// <exception cref="ArgumentException">The integrator was default-constructed, a length differs from n, or a value is not finite.</exception>
    public static StepperProblem<TIntegrator> Problem<TIntegrator>(TIntegrator integrator, double[] q0, double[]? p0, double duration,
        InitialStates? pathInitialStates = null)
        where TIntegrator : struct, ILangevinIntegrator =>
        new(integrator, InitialState(integrator, q0, p0, duration), 0.0, duration, pathInitialStates);

    /// <summary>Simulates paths on [0, <paramref name="duration"/>] driven by a given Brownian source.</summary>
    /// <param name="integrator">The scheme and its parameters.</param>
    /// <param name="brownian">The Brownian source (m = <see cref="IEnsembleStepper.NoiseDimension"/> rows per step).</param>
    /// <param name="q0">Initial positions shared by every path (length n).</param>
    /// <param name="p0">Initial momenta shared by every path (length n), or null for zero momenta.</param>
    /// <param name="duration">Simulated time T &gt; 0.</param>
    /// <param name="options">Paths, grid, seed and outputs.</param>
    /// <param name="pathInitialStates">Per-path initial states (2n rows), or null.</param>
    /// <exception cref="ArgumentException">The integrator was default-constructed, a length differs from n, a value is not finite, or the options are invalid.</exception>
    public static EnsembleSolution Solve<TIntegrator, TBrownian>(TIntegrator integrator, TBrownian brownian, double[] q0, double[]? p0, double duration,
        EnsembleOptions options, InitialStates? pathInitialStates = null)
        where TIntegrator : struct, ILangevinIntegrator
        where TBrownian : struct, IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(options);
        return Ensemble.Solve(integrator, brownian, InitialState(integrator, q0, p0, duration), pathInitialStates, 0.0, duration, options);
    }

    private static double[] InitialState<TIntegrator>(TIntegrator integrator, double[] q0, double[]? p0, double duration)
        where TIntegrator : struct, ILangevinIntegrator
    {
        ArgumentNullException.ThrowIfNull(q0);
        int n = integrator.PositionDimension;
        if (n < 1)
            throw new ArgumentException("the integrator has no coordinates; construct it with a potential, friction and inverse temperature.", nameof(integrator));
        if (q0.Length != n)
            throw new ArgumentException($"q0 has {q0.Length} values but the potential has dimension {n}.", nameof(q0));
        if (p0 is not null && p0.Length != n)
            throw new ArgumentException($"p0 has {p0.Length} values but the potential has dimension {n}.", nameof(p0));
        if (!(duration > 0) || !double.IsFinite(duration))
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "the duration must be positive and finite.");
        var x0 = new double[2 * n];
        q0.CopyTo(x0, 0);
        p0?.CopyTo(x0, n);
        return x0;
    }
}
