namespace Drift.Models.Text;

/// <summary>One line of a model: <c>param</c>, <c>state</c>, <c>noise</c> or an equation <c>dNAME = ...</c>.</summary>
internal abstract record Statement(Token Name);

internal sealed record ParameterStatement(Token Name, Node Value) : Statement(Name);

internal sealed record StateStatement(Token Name, Node Value) : Statement(Name);

internal sealed record NoiseStatement(Token Name) : Statement(Name);

/// <summary>dNAME = rhs; Name is the token of dNAME, State the name without the d.</summary>
internal sealed record EquationStatement(Token Name, string State, Node Value) : Statement(Name);
