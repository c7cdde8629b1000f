using Drift.Brownian;
using Drift.Solve;
using Drift.Solve.Ode;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// Solves ensembles of paths of SDEs and ODEs with fixed-step solvers, in parallel, with streaming
/// statistics. Results for a seed are bit-identical whatever the thread count or chunk size.
/// </summary>
public static class Ensemble
{
    /// <summary>Solves an SDE ensemble with Brownian increments drawn from Philox keyed by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the solver cannot integrate this noise kind or calculus.</exception>
    public static EnsembleSolution Solve<TDrift, TDiffusion, TSolver>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
    {
        ArgumentNullException.ThrowIfNull(options);
        return Solve(problem, solver, new PhiloxBrownianIncrements(options.Seed), options);
    }

    /// <summary>Solves an SDE ensemble driven by a given Brownian source.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the solver cannot integrate this noise kind or calculus.</exception>
    public static EnsembleSolution Solve<TDrift, TDiffusion, TSolver, TBrownian>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, TBrownian brownian, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TBrownian : struct, IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        CheckSolver(solver, Noise.Class(problem.Diffusion), problem.Calculus);
        var stepper = new SdeStepper<TDrift, TDiffusion, TSolver>(problem.Drift, problem.Diffusion, solver);
        return EnsembleRunner.Run(stepper, brownian, problem.InitialState, problem.PathInitialStates, problem.T0, problem.T1, options);
    }

    /// <summary>Solves an ODE for many paths (initial states from <see cref="OdeProblem{TDrift}.PathInitialStates"/> or shared).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static EnsembleSolution Solve<TDrift, TSolver>(OdeProblem<TDrift> problem, TSolver solver, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TSolver : struct, IOdeSolver
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var stepper = new OdeStepper<TDrift, TSolver>(problem.Drift, solver);
        return EnsembleRunner.Run(stepper, default(NoBrownian), problem.InitialState, problem.PathInitialStates, problem.T0, problem.T1, options);
    }

    /// <summary>
    /// Solves an ensemble with a custom stepper (for schemes that are not drift/diffusion solvers),
    /// with all the guarantees of the other overloads: per-path randomness, thread-independent bits,
    /// streaming statistics, save points and divergence reports.
    /// </summary>
    /// <param name="stepper">The scheme.</param>
    /// <param name="brownian">The Brownian source (ignored when the stepper has no noise).</param>
    /// <param name="initialState">State shared by every path (length d).</param>
    /// <param name="pathInitialStates">Per-path initial states, or null.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="options">Paths, grid, seed and outputs.</param>
    /// <exception cref="ArgumentException">The options or the initial state are invalid.</exception>
    public static EnsembleSolution Solve<TStepper, TBrownian>(TStepper stepper, TBrownian brownian, double[] initialState, InitialStates? pathInitialStates,
        double t0, double t1, EnsembleOptions options)
        where TStepper : struct, IEnsembleStepper
        where TBrownian : struct, IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(options);
        ProblemChecks.Validate(stepper.Dimension, initialState, t0, t1);
        return EnsembleRunner.Run(stepper, brownian, initialState, pathInitialStates, t0, t1, options);
    }

    /// <summary>
    /// Throws a clear error when <paramref name="solver"/> cannot integrate noise of this class
    /// (<see cref="Noise.Class{TDiffusion}"/>) in this calculus, naming the built-in solvers that can.
    /// </summary>
    /// <exception cref="ArgumentException">The combination is unsupported.</exception>
    public static void CheckSolver<TSolver>(TSolver solver, NoiseKind noise, Calculus calculus)
        where TSolver : struct, ISdeSolver
    {
        if (solver.Supports(noise, calculus)) return;
        var able = SolversFor(noise, calculus);
        string hint = able.Count == 0 ? "no built-in solver can" : $"use {string.Join(", ", able)}";
        throw new ArgumentException($"solver '{solver.Name}' cannot integrate {calculus} SDEs with {noise.ToString().ToLowerInvariant()} noise; {hint}.", nameof(solver));
    }

    /// <summary>The names of the built-in SDE solvers that accept noise of this class in this calculus.</summary>
    public static IReadOnlyList<string> SolversFor(NoiseKind noise, Calculus calculus)
    {
        var names = new List<string>();
        void Add<T>(T s) where T : struct, ISdeSolver { if (s.Supports(noise, calculus)) names.Add(s.Name); }
        Add(new EulerMaruyama());
        Add(new Milstein(Calculus.Ito));
        Add(new Milstein(Calculus.Stratonovich));
        Add(new EulerHeun());
        Add(new ReversibleHeun());
        Add(new Sra1());
        Add(new Sriw1());
        Add(new ImplicitEulerMaruyama());
        Add(new ImplicitMilstein(Calculus.Ito));
        Add(new ImplicitMilstein(Calculus.Stratonovich));
        Add(new SKenCarp());
        return names;
    }
}
