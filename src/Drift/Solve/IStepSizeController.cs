namespace Drift.Solve;

/// <summary>
/// How a solve chooses its steps, and the one thing that decides fixed against adaptive stepping
/// (as the <c>stepsize_controller</c> of diffrax's <c>diffeqsolve</c>): <see cref="ConstantStep"/> runs
/// the fixed-grid loop, <see cref="Adaptive.PidController"/> the adaptive one.
/// </summary>
/// <remarks>A marker: the solve dispatches on the concrete type once, before any step.</remarks>
public interface IStepSizeController
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    void Validate();
}
