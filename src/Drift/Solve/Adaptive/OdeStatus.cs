namespace Drift.Solve.Adaptive;

/// <summary>Why an adaptive ODE solve stopped.</summary>
public enum OdeStatus
{
    /// <summary>The trajectory reached t1 with a finite state.</summary>
    Success,
    /// <summary>The controller's <see cref="PidController.MaxSteps"/> (accepted plus rejected steps) ran out before t1.</summary>
    MaxStepsReached,
    /// <summary>The controller asked for a step below max(<see cref="PidController.MinStep"/>, 10 ulp(t)): the error cannot be met.</summary>
    StepSizeTooSmall,
    /// <summary>The right-hand side or a stage produced NaN or ±∞ and shrinking the step did not cure it.</summary>
    NonFinite,
    /// <summary>A stiff solver's iteration matrix W = I/(γh) − J was singular at the current point even after the step was cut (the message names the time and the component).</summary>
    SingularJacobian,
    /// <summary>The Newton iteration of an implicit method did not converge at a step it may not shrink (a fixed step); adaptive implicit solves shrink the step instead and end with <see cref="StepSizeTooSmall"/>.</summary>
    NotConverged,
}
