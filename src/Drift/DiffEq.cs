using System.Reflection;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Ode;
using Drift.Solve.Sde;
using Drift.Solve.Stiff;

namespace Drift;

/// <summary>
/// The one entry point for differential equations, as diffrax's <c>diffeqsolve</c> and DifferentialEquations.jl's
/// <c>solve</c>: <c>DiffEq.Solve(problem, solver, options)</c> for an ODE or SDE problem, any solver, and options
/// whose step-size controller alone decides fixed or adaptive steps. An ensemble is the same call with
/// <see cref="SolveOptions.Paths"/> &gt; 1 (or per-path initial states on the problem); a single trajectory is one path.
/// </summary>
/// <remarks>
/// <para>The call looks at the controller and the solver's type once and enters one struct-specialised loop,
/// the layer underneath that stays public for those who want it:</para>
/// <list type="table">
/// <item><term>SDE, <see cref="ConstantStep"/>, any <see cref="ISdeSolver"/></term><description><see cref="Ensemble.Solve{TDrift, TDiffusion, TSolver}(SdeProblem{TDrift, TDiffusion}, TSolver, EnsembleOptions)"/> (SIMD across paths, Philox increments keyed by (seed, path, step)).</description></item>
/// <item><term>SDE, <see cref="PidController"/>, an <see cref="IEmbeddedSdeSolver"/></term><description><see cref="AdaptiveSde.Solve{TDrift, TDiffusion, TSolver}"/> with the solver's embedded error.</description></item>
/// <item><term>SDE, <see cref="PidController"/>, any other solver</term><description><see cref="AdaptiveSde.Solve{TDrift, TDiffusion, TSolver}"/> with <see cref="StepDoubling{TSolver}"/> around it.</description></item>
/// <item><term>ODE, <see cref="ConstantStep"/>, an <see cref="IOdeSolver"/> or an <see cref="IEmbeddedMethod"/></term><description><see cref="Ensemble.Solve{TDrift, TSolver}(OdeProblem{TDrift}, TSolver, EnsembleOptions)"/> (an embedded pair through <see cref="EmbeddedFixedStep{TMethod}"/>).</description></item>
/// <item><term>ODE, <see cref="PidController"/>, an <see cref="IEmbeddedMethod"/></term><description><see cref="AdaptiveOde.Solve{TDrift, TMethod}"/> (one path) or <see cref="AdaptiveOde.SolveBatch{TDrift, TMethod}"/>, states at save times from dense output.</description></item>
/// <item><term>ODE, <see cref="PidController"/>, an <see cref="IStiffMethod"/> (<see cref="Rosenbrock23"/>, <see cref="Rodas4"/>, <see cref="Rodas5P"/>, <see cref="RadauIIA5"/>, <see cref="Bdf"/>, the switching <see cref="AutoSwitch{TExplicit, TStiff}"/>)</term><description>the method's own loop per path (<see cref="IStiffMethod.Solve{TDrift}"/>), paths in parallel; Jacobians and LU factorisations counted in <see cref="SolveStatistics"/>.</description></item>
/// <item><term>SDE, <see cref="ConstantStep"/>, a given Brownian source (nested, tree-backed)</term><description><see cref="Ensemble.Solve{TDrift, TDiffusion, TSolver, TBrownian}(SdeProblem{TDrift, TDiffusion}, TSolver, TBrownian, EnsembleOptions)"/>.</description></item>
/// <item><term>a custom <see cref="IEnsembleStepper"/> (Langevin splittings, Heston QE, SABR; exact CIR and Merton with <see cref="Brownian.PathStepCounters"/>)</term><description><see cref="Ensemble.Solve{TStepper, TBrownian}(TStepper, TBrownian, double[], InitialStates, double, double, EnsembleOptions)"/>, constant steps only.</description></item>
/// </list>
/// <para>Typed problems (<see cref="Sde.Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/>) add compile-time checks of the calculus and the noise
/// class (<see cref="Solve{TDrift, TDiffusion, TSolver, TNoise}(SdeProblem{TDrift, TDiffusion, Ito}, IItoSolver{TSolver, TNoise}, SolveOptions)"/>,
/// in DiffEq.Typed.cs) over the same run-time path.</para>
/// <para>The results are the bits of the layer underneath (tested). The dispatch on an interface the solver's
/// static type does not name (an embedded pair passed where any solver may be) builds a closed generic method once
/// per type combination by reflection and caches the delegate; nothing is virtual per step.</para>
/// </remarks>
/// <example>
/// <code>
/// var gbm = new GeometricBrownianMotion(mu: 0.05, sigma: 0.2);
/// var solution = DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new Milstein(Calculus.Ito),
///     new SolveOptions { Controller = ConstantStep.WithSteps(1000), Paths = 1_000_000, Seed = 42 });
/// </code>
/// </example>
public static partial class DiffEq
{
    /// <summary>Solves an SDE problem (one path or an ensemble), with fixed or adaptive steps as the controller says.</summary>
    /// <exception cref="ArgumentException">Invalid options, a solver that cannot integrate this noise or calculus, or save points the loop cannot honour.</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Controller is ConstantStep)
            return Solve(problem, solver, new Brownian.PhiloxBrownianIncrements(options.Seed), options);
        var pid = (PidController)options.Controller;
        CheckAdaptiveSolver(solver, problem.Diffusion);
        return FromAdaptive(AdaptiveSdeCall<TDrift, TDiffusion, TSolver>.Run(problem, solver, options.ToAdaptiveSdeOptions(pid)));
    }

    /// <summary>Refuses Euler–Maruyama under adaptive steps unless the noise is additive.</summary>
    private static void CheckAdaptiveSolver<TSolver, TDiffusion>(TSolver solver, TDiffusion diffusion)
        where TSolver : struct, ISdeSolver
        where TDiffusion : struct, IDiffusion
    {
        if (solver is EulerMaruyama or ImplicitEulerMaruyama && diffusion.Noise != NoiseKind.Additive)
            throw new ArgumentException("Euler–Maruyama does not converge under adaptive steps unless the noise is additive (its Itô sum is biased by steps chosen after seeing the increments: Foster & Jelinčič 2024); "
                + "write the SDE in Stratonovich form and use heun or milstein-strat, use sriw1 or milstein, or use a ConstantStep controller.", nameof(solver));
    }

    private static Solution FromAdaptive(AdaptiveSdeSolution adaptive)
    {
        var s = adaptive.Statistics;
        return new Solution(adaptive.Ensemble,
            new SolveStatistics(s.AcceptedSteps, s.RejectedSteps, s.DriftEvaluations, s.DiffusionEvaluations, s.SmallestStep, s.LargestStep),
            adaptive.Steps, double.NaN);
    }

    /// <summary>
    /// Solves an SDE problem on a constant grid driven by the given Brownian increments in place of Philox normals keyed
    /// by <see cref="SolveOptions.Seed"/>: a nested or tree-backed path (<see cref="Brownian.NestedBrownianIncrements"/>,
    /// <see cref="Brownian.TreeBrownianIncrements"/>) so that solves at different step sizes share one Brownian path,
    /// as strong-order measurements need. Step k of path p receives ΔW_k ~ N(0, (t_{k+1} − t_k)·I_m) from the source.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, a controller other than <see cref="ConstantStep"/> (adaptive solves draw from their own Brownian trees), or a solver that cannot integrate this noise or calculus.</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver, TIncrements>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, TIncrements increments, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TIncrements : struct, Brownian.IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(problem);
        var step = ConstantStepOf(options, "a given Brownian source drives a constant grid only (adaptive SDE solves build Brownian trees from the seed)");
        var ensembleOptions = options.ToEnsembleOptions(step);
        var ensemble = Ensemble.Solve(problem, solver, increments, ensembleOptions);
        var perStep = new SolveCounters(1, solver.DriftEvaluationsPerStep, solver.DiffusionEvaluationsPerStep);
        return FromFixed(ensemble, perStep, problem.T0, problem.T1, step, ensembleOptions);
    }

    /// <summary>Solves an ODE problem (one path or many) with a fixed-step solver or an embedded pair, fixed or adaptive as the controller says, or with a stiff method (adaptive only).</summary>
    /// <exception cref="ArgumentException">Invalid options, an adaptive controller with a method that has no error estimate, a constant step with a stiff method, or save points the loop cannot honour.</exception>
    public static Solution Solve<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, SolveOptions options)
        where TDrift : struct, IDrift
        where TMethod : struct, IOdeMethod
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Controller is ConstantStep step)
        {
            var fixedRun = OdeCall<TDrift, TMethod>.Fixed
                ?? throw new ArgumentException(method is IStiffMethod
                    ? $"'{method.Name}' is a stiff method that chooses its own steps; use a PidController (its FixedStep fixes the step where the method supports it: radau)."
                    : $"{typeof(TMethod).Name} is neither an IOdeSolver nor an IEmbeddedMethod.", nameof(method));
            var ensembleOptions = options.ToEnsembleOptions(step);
            var (ensemble, evaluations) = fixedRun(problem, method, ensembleOptions);
            return FromFixed(ensemble, new SolveCounters(1, evaluations, 0), problem.T0, problem.T1, step, ensembleOptions);
        }
        var adaptive = OdeCall<TDrift, TMethod>.Adaptive
            ?? throw new ArgumentException($"'{method.Name}' has no error estimate, so it cannot adapt its steps; use an embedded pair (bs3, tsit5, dopri5, dop853) or a ConstantStep controller.", nameof(method));
        return adaptive(problem, method, options, (PidController)options.Controller);
    }

    /// <summary>
    /// Solves with a custom fixed-step scheme (a Langevin splitting, say) on a constant grid, with every guarantee of
    /// the ensemble loop; Brownian increments from Philox keyed by the seed.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options or initial state, or a controller other than <see cref="ConstantStep"/>.</exception>
    public static Solution Solve<TStepper>(StepperProblem<TStepper> problem, SolveOptions options)
        where TStepper : struct, IEnsembleStepper
    {
        ArgumentNullException.ThrowIfNull(options);
        return Solve(problem, new Brownian.PhiloxBrownianIncrements(options.Seed), options);
    }

    /// <summary>
    /// Solves with a custom fixed-step scheme on a constant grid, fed the given increments in place of Philox
    /// normals: <see cref="Brownian.PathStepCounters"/> for a scheme that draws its own variates keyed by
    /// (seed, path, step), as the exact CIR and Merton schemes do, or a nested or tree-backed Brownian path.
    /// On step k (from t_k to t_{k+1}) of path p the scheme receives what the increments write for (p, k): for a
    /// Brownian source, ΔW ~ N(0, (t_{k+1} − t_k)·I_m) in each of the scheme's m noise rows. Otherwise the same loop,
    /// grid and results as <see cref="Solve{TStepper}(StepperProblem{TStepper}, SolveOptions)"/>, which is this call with Philox increments of <see cref="SolveOptions.Seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options or initial state, or a controller other than <see cref="ConstantStep"/>.</exception>
    public static Solution Solve<TStepper, TIncrements>(StepperProblem<TStepper> problem, TIncrements increments, SolveOptions options)
        where TStepper : struct, IEnsembleStepper
        where TIncrements : struct, Brownian.IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(problem);
        var step = ConstantStepOf(options, $"{typeof(TStepper).Name} is a fixed-step scheme with no error estimate");
        var ensembleOptions = options.ToEnsembleOptions(step);
        var ensemble = Ensemble.Solve(problem.Stepper, increments, problem.InitialState, problem.PathInitialStates,
            problem.T0, problem.T1, ensembleOptions);
        return FromFixed(ensemble, problem.Stepper.CountersPerStep, problem.T0, problem.T1, step, ensembleOptions);
    }

    /// <summary>Validates the options of a constant-grid-only call and returns their <see cref="ConstantStep"/>, or says why no other controller applies.</summary>
    private static ConstantStep ConstantStepOf(SolveOptions options, string why)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Controller as ConstantStep ?? throw new ArgumentException($"{why}; use a ConstantStep controller.", nameof(options));
    }

    private static Solution FromFixed(EnsembleSolution ensemble, SolveCounters perStep, double t0, double t1, ConstantStep step, EnsembleOptions options)
    {
        var times = TimeGrid.Create(t0, t1, step.Steps, step.Dt, options.Save, options.StopTimes).Times;
        double smallest = double.PositiveInfinity, largest = 0;
        for (int k = 1; k < times.Length; k++)
        {
            double h = times[k] - times[k - 1];
            smallest = Math.Min(smallest, h);
            largest = Math.Max(largest, h);
        }
        long steps = (times.Length - 1) * ensemble.PathCount;
        var statistics = new SolveStatistics(steps, 0, steps * perStep.DriftEvaluations, steps * perStep.DiffusionEvaluations, smallest, largest);
        return new Solution(ensemble, statistics, [], double.NaN) { Events = options.Events?.Sorted() ?? [] };
    }

    /// <summary>The adaptive SDE loop for a solver type, specialised once: its own embedded pair, or step doubling around it.</summary>
    private static class AdaptiveSdeCall<TDrift, TDiffusion, TSolver>
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
    {
        public static readonly Func<SdeProblem<TDrift, TDiffusion>, TSolver, AdaptiveSdeOptions, AdaptiveSdeSolution> Run = Create();

        private static Func<SdeProblem<TDrift, TDiffusion>, TSolver, AdaptiveSdeOptions, AdaptiveSdeSolution> Create()
        {
            var embedded = typeof(IEmbeddedSdeSolver).IsAssignableFrom(typeof(TSolver)) ? typeof(TSolver) : typeof(StepDoubling<>).MakeGenericType(typeof(TSolver));
            return Closed(nameof(RunAdaptiveSde), typeof(TDrift), typeof(TDiffusion), typeof(TSolver), embedded)
                .CreateDelegate<Func<SdeProblem<TDrift, TDiffusion>, TSolver, AdaptiveSdeOptions, AdaptiveSdeSolution>>();
        }
    }

    private static AdaptiveSdeSolution RunAdaptiveSde<TDrift, TDiffusion, TSolver, TEmbedded>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, AdaptiveSdeOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TEmbedded : struct, IEmbeddedSdeSolver
    {
        // TEmbedded is TSolver itself or StepDoubling<TSolver>; the cast boxes once per solve.
        var embedded = solver is TEmbedded same ? same : (TEmbedded)(object)new StepDoubling<TSolver>(solver);
        return AdaptiveSde.Solve(problem, embedded, options);
    }

    /// <summary>The ODE loops for a method type, specialised once: fixed grid (any method) and adaptive (embedded pairs only, else null).</summary>
    private static class OdeCall<TDrift, TMethod>
        where TDrift : struct, IDrift
        where TMethod : struct, IOdeMethod
    {
        public static readonly Func<OdeProblem<TDrift>, TMethod, EnsembleOptions, (EnsembleSolution, long)>? Fixed =
            typeof(IOdeSolver).IsAssignableFrom(typeof(TMethod))
                ? Closed(nameof(RunFixedOde), typeof(TDrift), typeof(TMethod)).CreateDelegate<Func<OdeProblem<TDrift>, TMethod, EnsembleOptions, (EnsembleSolution, long)>>()
                : typeof(IEmbeddedMethod).IsAssignableFrom(typeof(TMethod))
                    ? Closed(nameof(RunFixedEmbedded), typeof(TDrift), typeof(TMethod)).CreateDelegate<Func<OdeProblem<TDrift>, TMethod, EnsembleOptions, (EnsembleSolution, long)>>()
                    : null;

        public static readonly Func<OdeProblem<TDrift>, TMethod, SolveOptions, PidController, Solution>? Adaptive =
            typeof(IEmbeddedMethod).IsAssignableFrom(typeof(TMethod))
                ? ClosedIn(typeof(AdaptiveOdeSolve), nameof(AdaptiveOdeSolve.Run), typeof(TDrift), typeof(TMethod))
                    .CreateDelegate<Func<OdeProblem<TDrift>, TMethod, SolveOptions, PidController, Solution>>()
                : typeof(IStiffMethod).IsAssignableFrom(typeof(TMethod))
                    ? ClosedIn(typeof(AdaptiveOdeSolve), nameof(AdaptiveOdeSolve.RunStiff), typeof(TDrift), typeof(TMethod))
                        .CreateDelegate<Func<OdeProblem<TDrift>, TMethod, SolveOptions, PidController, Solution>>()
                    : null;
    }

    private static (EnsembleSolution, long) RunFixedOde<TDrift, TSolver>(OdeProblem<TDrift> problem, TSolver solver, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TSolver : struct, IOdeSolver =>
        (Ensemble.Solve(problem, solver, options), solver.EvaluationsPerStep);

    private static (EnsembleSolution, long) RunFixedEmbedded<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TMethod : struct, IEmbeddedMethod
    {
        var solver = new EmbeddedFixedStep<TMethod>(method);
        return (Ensemble.Solve(problem, solver, options), solver.EvaluationsPerStep);
    }

    private static MethodInfo Closed(string name, params Type[] arguments) => ClosedIn(typeof(DiffEq), name, arguments);

    private static MethodInfo ClosedIn(Type owner, string name, params Type[] arguments) =>
        owner.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(arguments);
}
