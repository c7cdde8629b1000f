namespace Drift.Solve;

/// <summary>The Stratonovich calculus as a type: ∫ g ∘ dW with g at the midpoint (<see cref="Calculus.Stratonovich"/>). Pass <c>new Stratonovich()</c> to <see cref="Drift.Sde.Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/> for a typed problem.</summary>
public readonly struct Stratonovich : ICalculus
{
    /// <inheritdoc/>
    public static Calculus Value => Calculus.Stratonovich;
}
