using Drift.Brownian;
using Drift.Cli.Arguments;
using Drift.Ensembles;

namespace Drift.Cli.Simulate;

/// <summary>Runs models whose scheme is a custom <see cref="IEnsembleStepper"/> (exact CIR, Heston QE, SABR, Merton).</summary>
public static class StepperDispatch
{
    /// <summary>Solves with <paramref name="stepper"/> when the requested solver is <paramref name="scheme"/>.</summary>
    /// <exception cref="UsageException">Another solver or adaptive stepping was asked for.</exception>
    public static SimulationResult Solve<TStepper, TBrownian>(TStepper stepper, TBrownian brownian, string scheme, double[] x0, double t1, SimulationRequest request)
        where TStepper : struct, IEnsembleStepper
        where TBrownian : struct, IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Adaptive) throw new UsageException($"this model runs its own fixed-step scheme '{scheme}'; give --steps or --dt, not --rtol/--atol.");
        if (request.Solver != scheme) throw new UsageException($"this model runs its own scheme '{scheme}'; --solver {request.Solver} does not apply.");
        return new SimulationResult(DiffEq.Solve(new StepperProblem<TStepper>(stepper, x0, 0, t1), brownian, request.Options).Ensemble, null);
    }
}
