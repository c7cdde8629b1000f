namespace Drift.Solve;

/// <summary>
/// Fixed steps: t_k = t0 + k·h with h = (t1 − t0)/N (<see cref="WithSteps"/>) or a given h with the last
/// step shortened to end at t1 (<see cref="WithSize"/>); save times off the grid are added to it. Nothing
/// is rejected and no error is estimated. diffrax's <c>ConstantStepSize</c>.
/// </summary>
public sealed record ConstantStep : IStepSizeController
{
    private ConstantStep(int? steps, double? dt)
    {
        Steps = steps;
        Dt = dt;
    }

    /// <summary>N uniform steps over [t0, t1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">N is less than 1.</exception>
    public static ConstantStep WithSteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return new ConstantStep(steps, null);
    }

    /// <summary>Steps of size h (the last one shortened to end at t1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">h is not positive and finite.</exception>
    public static ConstantStep WithSize(double dt)
    {
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "the step size must be positive and finite.");
        return new ConstantStep(null, dt);
    }

    /// <summary>Number of uniform steps, or null when <see cref="Dt"/> is set.</summary>
    public int? Steps { get; }

    /// <summary>Step size, or null when <see cref="Steps"/> is set.</summary>
    public double? Dt { get; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (Steps is null == Dt is null) throw new ArgumentException("a constant step needs exactly one of a step count or a step size.", nameof(Steps));
    }
}
