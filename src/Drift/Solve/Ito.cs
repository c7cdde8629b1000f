namespace Drift.Solve;

/// <summary>The Itô calculus as a type: ∫ g dW with g at the left end of each increment (<see cref="Calculus.Ito"/>). Pass <c>new Ito()</c> to <see cref="Drift.Sde.Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/> for a typed problem.</summary>
public readonly struct Ito : ICalculus
{
    /// <inheritdoc/>
    public static Calculus Value => Calculus.Ito;
}
