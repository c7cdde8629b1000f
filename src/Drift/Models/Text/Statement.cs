namespace Drift.Models.Text;

/// <summary>One line of a model: <c>param</c>, <c>state</c>, <c>noise</c> or an equation <c>dNAME = ...</c>.</summary>
internal abstract record Statement(Token Name);

internal sealed record ParameterStatement(Token Name, Node Value) : Statement(Name);

internal sealed record StateStatement(Token Name, Node Value) : Statement(Name);

internal sealed record NoiseStatement(Token Name) : Statement(Name);

/// <summary>dNAME = rhs; Name is the token of dNAME, State the name without the d.</summary>
internal sealed record EquationStatement(Token Name, string State, Node Value) : Statement(Name);

/// <summary>
/// <c>data NAME: KIND [bounds]</c> of the log-density form: Kind is int, real, vector, int (with Sizes: an integer
/// array) or matrix; Sizes holds the bracketed size expressions (none, one, or two for a matrix).
/// </summary>
internal sealed record DataStatement(Token Name, Token Kind, Node[] Sizes, Node? Lower, Node? Upper) : Statement(Name);

/// <summary><c>param NAME [ '[' SIZE ']' ] [&gt; LOWER] [&lt; UPPER]</c> of the log-density form.</summary>
internal sealed record DensityParameterStatement(Token Name, Node? Size, Node? Lower, Node? Upper) : Statement(Name);

/// <summary><c>VARIATE ~ DISTRIBUTION(ARGUMENTS)</c>; Name is the token of the distribution's name.</summary>
internal sealed record SamplingStatement(Token Name, Node Variate, Node[] Arguments) : Statement(Name);

/// <summary><c>target += VALUE</c>; Name is the token of <c>target</c>.</summary>
internal sealed record TargetStatement(Token Name, Node Value) : Statement(Name);
