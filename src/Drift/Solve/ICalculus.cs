namespace Drift.Solve;

/// <summary>
/// A calculus as a type (<see cref="Ito"/>, <see cref="Stratonovich"/>), so that a typed problem
/// (<see cref="SdeProblem{TDrift, TDiffusion, TCalculus}"/>) carries its reading of ∫ g dW in its type and a solver
/// that cannot integrate it is a compile error. The run-time value is <see cref="Value"/>.
/// </summary>
public interface ICalculus
{
    /// <summary>The run-time <see cref="Calculus"/> this type stands for.</summary>
    static abstract Calculus Value { get; }
}
