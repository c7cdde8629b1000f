namespace Drift.Solve;

/// <summary>
/// Why a solve stopped, and why a path failed: the one status vocabulary of every solver, sampler and iteration
/// in Drift (differential equations, ensembles, adaptive ODEs, stiff solvers, jump simulations, optimal transport).
/// <see cref="Drift.DiffEq.Solve{TDrift, TDiffusion, TSolver}"/> reports <see cref="Success"/>, <see cref="MaxSteps"/>,
/// <see cref="StepTooSmall"/>, <see cref="NonFinite"/> or <see cref="Cancelled"/> (for an ensemble, the cause of the
/// lowest-indexed failed path; every failed path is listed with its own cause). The specialised ensemble layer
/// underneath (<c>Ensemble</c>, <c>AdaptiveSde</c>, <c>LangevinEnsemble</c>, <c>JumpSimulator</c>) summarises any
/// failed path as <see cref="Diverged"/> and gives each failed path its own cause.
/// </summary>
/// <remarks>
/// Iterative solvers (optimal transport) map onto the same words: the stopping criterion met is <see cref="Success"/>;
/// the iteration budget (MaxIterations, MaxPivots) exhausted is <see cref="MaxSteps"/>, since one iteration is one step
/// of the iteration; a NaN, ±∞ or an underflow to zero where a positive value is needed is <see cref="NonFinite"/>.
/// <see cref="NotConverged"/> is kept for an inner iteration (a Newton or fixed-point solve) that fails to converge
/// whatever the budget.
/// </remarks>
public enum SolveStatus
{
    /// <summary>Every path reached t1 with a finite state (an iteration: its stopping criterion was met).</summary>
    Success,
    /// <summary>At least one path failed (its state became NaN or infinite, or an adaptive solver gave up on it); those paths are excluded from the statistics and listed in the solution, each with its own cause.
    /// Only the ensemble layer's summary: failed paths (and merged shards) may have different causes, so the summary names none;
    /// it is never a path's cause and never the status of <see cref="Drift.DiffEq"/>'s solution, which reports the first failed path's cause.</summary>
    Diverged,
    /// <summary>The cancellation token fired; the solution holds the paths (or the iterate) finished so far.</summary>
    Cancelled,
    /// <summary>The step budget ran out before t1: a controller's MaxSteps (accepted plus rejected steps), a jump simulation's event limit, or an iterative solver's MaxIterations.</summary>
    MaxSteps,
    /// <summary>A path needed a step below max(the controller's MinStep, 10 ulp(t)): the tolerance cannot be met there.</summary>
    StepTooSmall,
    /// <summary>A path's state, a stage or an iterate became NaN or ±∞ (or zero where a positive value is required) and shrinking the step did not cure it.</summary>
    NonFinite,
    /// <summary>An inner iteration (a nonlinear solve, a fixed point) did not converge.</summary>
    NotConverged,
    /// <summary>A stiff solver's iteration matrix W = I/(γh) − J was singular at the current point even after the step was cut (the message names the time and the component).</summary>
    SingularJacobian,
}
