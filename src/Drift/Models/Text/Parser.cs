namespace Drift.Models.Text;

/// <summary>
/// Recursive-descent parser of the model language (grammar in docs/models.md). Nesting deeper than
/// <see cref="Node.MaxDepth"/> is an error, so no input can exhaust the stack.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _position;
    private int _nesting;

    private readonly bool _density;

    private Parser(List<Token> tokens, bool density = false)
    {
        _tokens = tokens;
        _density = density;
    }

    public static List<Statement> Parse(string text) => Statements(new Parser(Lexer.Tokenize(text)), p => p.Statement());

    /// <summary>Statements one per line (blank lines skipped), each followed by the end of its line.</summary>
    private static List<Statement> Statements(Parser parser, Func<Parser, Statement> statement)
    {
        var statements = new List<Statement>();
        while (parser.Peek.Kind != TokenKind.End)
        {
            if (parser.Peek.Kind == TokenKind.EndOfLine)
            {
                parser._position++;
                continue;
            }
            statements.Add(statement(parser));
            var next = parser.Peek;
            if (next.Kind != TokenKind.EndOfLine)
                throw new ModelParseException($"unexpected {next.Describe()} after the end of the statement", next.Line, next.Column);
        }
        return statements;
    }

    /// <summary>
    /// Parses the log-density form (grammar in docs/sampling.md, "Density language"): <c>data</c> and <c>param</c>
    /// declarations, <c>VARIATE ~ DIST(ARGS)</c> and <c>target += EXPR</c>, with the expressions of the SDE form plus
    /// <c>sum(v)</c>. Names are not resolved here; shapes and data are checked by the binder.
    /// </summary>
    public static List<Statement> ParseDensity(string text) => Statements(new Parser(Lexer.Tokenize(text), density: true), p => p.DensityStatement());

    /// <summary>
    /// Parses one expression written on line <paramref name="line"/> from column <paramref name="column"/> (used by
    /// other line formats, such as reaction networks, that embed the model language's expressions); positions in
    /// errors and nodes refer to the enclosing text.
    /// </summary>
    public static Node ParseExpression(string text, int line, int column)
    {
        if (text.Contains('\n', StringComparison.Ordinal)) throw new ModelParseException("an expression must fit on one line", line, column);
        List<Token> tokens;
        try
        {
            tokens = Lexer.Tokenize(text).Select(t => t with { Line = line, Column = column + t.Column - 1 }).ToList();
        }
        catch (ModelParseException e)
        {
            throw new ModelParseException(e.Reason, line, column + e.Column - 1);
        }
        var parser = new Parser(tokens);
        if (parser.Peek.Kind is TokenKind.EndOfLine or TokenKind.End)
            throw new ModelParseException("expected an expression", line, column);
        var node = parser.Expression();
        var next = parser.Peek;
        if (next.Kind is not (TokenKind.EndOfLine or TokenKind.End))
            throw new ModelParseException($"unexpected {next.Describe()} after the end of the expression", next.Line, next.Column);
        return node;
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private Statement Statement()
    {
        var first = Next();
        if (first.Kind != TokenKind.Identifier)
            throw new ModelParseException($"expected a statement ('param NAME = VALUE', 'state NAME = VALUE', 'noise KIND' or 'dNAME = ...'), found {first.Describe()}", first.Line, first.Column);
        switch (first.Text)
        {
            case "param":
            {
                var name = ExpectIdentifier("a parameter name after 'param'");
                Expect("=", $"'=' after 'param {name.Text}'");
                return new ParameterStatement(name, Expression());
            }
            case "state":
            {
                var name = ExpectIdentifier("a state name after 'state'");
                Expect("=", $"'=' and an initial value after 'state {name.Text}'");
                return new StateStatement(name, Expression());
            }
            case "noise":
                return new NoiseStatement(ExpectIdentifier("a noise kind after 'noise' (scalar, diagonal, additive or general)"));
        }
        if (first.Text.Length > 1 && first.Text[0] == 'd' && Peek.Is("="))
        {
            _position++;
            return new EquationStatement(first, first.Text[1..], Expression());
        }
        throw new ModelParseException(
            $"'{first.Text}' does not start a statement: expected 'param NAME = VALUE', 'state NAME = VALUE', 'noise KIND' or an equation 'dNAME = ... dt + ... dW1'",
            first.Line, first.Column);
    }

    private Statement DensityStatement()
    {
        var first = Peek;
        if (first.Kind == TokenKind.Identifier && first.Text == "data" && _tokens[_position + 1].Kind == TokenKind.Identifier)
        {
            _position++;
            var name = ExpectIdentifier("a data name after 'data'");
            Expect(":", $"':' and a kind (int, real, vector[N], int[N], matrix[N, K]) after 'data {name.Text}'");
            var kind = ExpectIdentifier("a data kind: int, real, vector[N], int[N] or matrix[N, K]");
            var sizes = new List<Node>();
            if (Peek.Is("["))
            {
                _position++;
                sizes.Add(Expression());
                while (Peek.Is(","))
                {
                    _position++;
                    sizes.Add(Expression());
                }
                Expect("]", "',' or ']' to close the size");
            }
            var (lower, upper) = Bounds();
            return new DataStatement(name, kind, [.. sizes], lower, upper);
        }
        if (first.Kind == TokenKind.Identifier && first.Text == "param" && _tokens[_position + 1].Kind == TokenKind.Identifier)
        {
            _position++;
            var name = ExpectIdentifier("a parameter name after 'param'");
            if (Peek.Is("="))
                throw new ModelParseException($"'param {name.Text} = VALUE' belongs to the SDE form; a density parameter is declared 'param {name.Text}' or 'param {name.Text}[K]', with optional bounds '> a' and '< b'", Peek.Line, Peek.Column);
            Node? size = null;
            if (Peek.Is("["))
            {
                _position++;
                size = Expression();
                Expect("]", "']' to close the size (a parameter is a scalar or a vector)");
            }
            var (lower, upper) = Bounds();
            return new DensityParameterStatement(name, size, lower, upper);
        }
        if (first.Kind == TokenKind.Identifier && first.Text == "target" && _tokens[_position + 1].Is("+"))
        {
            _position++;
            var plus = Next();
            var equals = Next();
            if (!equals.Is("=") || equals.Column != plus.Column + 1 || equals.Line != plus.Line)
                throw new ModelParseException($"expected '+=' after 'target', found '+' then {equals.Describe()}", equals.Line, equals.Column);
            return new TargetStatement(first, Expression());
        }
        if (first.Kind is TokenKind.EndOfLine or TokenKind.End)
            throw new ModelParseException("expected a statement", first.Line, first.Column);
        var variate = Expression();
        var tilde = Next();
        if (!tilde.Is("~"))
            throw new ModelParseException(
                $"expected a statement: 'data NAME: KIND', 'param NAME', 'EXPR ~ DIST(ARGS)' or 'target += EXPR'; found {tilde.Describe()} where '~' was expected",
                tilde.Line, tilde.Column);
        var distribution = ExpectIdentifier("a distribution name after '~'");
        var open = Next();
        if (!open.Is("(")) throw new ModelParseException($"expected '(' and the arguments of {distribution.Text}, found {open.Describe()}", open.Line, open.Column);
        var arguments = Arguments(open, distribution.Text);
        return new SamplingStatement(distribution, variate, [.. arguments]);
    }

    /// <summary>Optional bounds: '&gt; a', '&lt; b', or both in either order.</summary>
    private (Node? Lower, Node? Upper) Bounds()
    {
        Node? lower = null, upper = null;
        while (Peek.Is(">") || Peek.Is("<"))
        {
            var op = Next();
            if (op.Text == ">")
            {
                if (lower is not null) throw new ModelParseException("a second lower bound '>'", op.Line, op.Column);
                lower = Expression();
            }
            else
            {
                if (upper is not null) throw new ModelParseException("a second upper bound '<'", op.Line, op.Column);
                upper = Expression();
            }
        }
        return (lower, upper);
    }

    private Token ExpectIdentifier(string what)
    {
        var token = Next();
        if (token.Kind != TokenKind.Identifier) throw new ModelParseException($"expected {what}, found {token.Describe()}", token.Line, token.Column);
        return token;
    }

    private void Expect(string symbol, string what)
    {
        var token = Next();
        if (!token.Is(symbol)) throw new ModelParseException($"expected {what}, found {token.Describe()}", token.Line, token.Column);
    }

    // expression := term { ('+' | '-') term }
    private Node Expression()
    {
        var left = Term();
        while (Peek.Is("+") || Peek.Is("-"))
        {
            var op = Next();
            left = Checked(new BinaryNode(op.Text[0], left, Term(), op.Line, op.Column));
        }
        return left;
    }

    // term := unary { ('*' | '/') unary }
    private Node Term()
    {
        var left = Unary();
        while (Peek.Is("*") || Peek.Is("/"))
        {
            var op = Next();
            left = Checked(new BinaryNode(op.Text[0], left, Unary(), op.Line, op.Column));
        }
        return left;
    }

    // unary := ('-' | '+') unary | power
    private Node Unary()
    {
        Enter();
        Node result;
        if (Peek.Is("-"))
        {
            var op = Next();
            result = Checked(new NegateNode(Unary(), op.Line, op.Column));
        }
        else if (Peek.Is("+"))
        {
            _position++;
            result = Unary();
        }
        else result = Power();
        _nesting--;
        return result;
    }

    // power := primary [ '^' unary ]   (right-associative, binds tighter than unary minus on its left: -x^2 = -(x^2))
    private Node Power()
    {
        var left = Primary();
        if (!Peek.Is("^")) return left;
        var op = Next();
        return Checked(new BinaryNode('^', left, Unary(), op.Line, op.Column));
    }

    // primary := NUMBER | NAME | NAME '(' expression { ',' expression } ')' | '(' expression ')'
    private Node Primary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberNode(token.Value, token.Line, token.Column);
            case TokenKind.Identifier when Peek.Is("("):
                return Call(token);
            case TokenKind.Identifier:
                return new NameNode(token.Text, token.Line, token.Column);
            case TokenKind.Symbol when token.Text == "(":
            {
                Enter();
                var inner = Expression();
                var close = Next();
                if (!close.Is(")"))
                    throw new ModelParseException($"expected ')' to close the '(' at line {token.Line}, column {token.Column}, found {close.Describe()}", close.Line, close.Column);
                _nesting--;
                return inner;
            }
            case TokenKind.Symbol when token.Text == ")":
                throw new ModelParseException("unbalanced ')': no '(' is open", token.Line, token.Column);
            default:
                throw new ModelParseException($"expected a number, a name or '(', found {token.Describe()}", token.Line, token.Column);
        }
    }

    private Node Call(Token name)
    {
        if (_density && name.Text == "sum")
        {
            var open2 = Next();
            Enter();
            var operand = Expression();
            var close2 = Next();
            if (!close2.Is(")"))
                throw new ModelParseException($"expected ')' to close the '(' of sum at line {open2.Line}, column {open2.Column} (sum takes one argument), found {close2.Describe()}", close2.Line, close2.Column);
            _nesting--;
            return Checked(new SumNode(operand, name.Line, name.Column));
        }
        if (!TextFunction.All.TryGetValue(name.Text, out var function))
            throw new ModelParseException($"unknown function '{name.Text}'; functions are {string.Join(", ", TextFunction.All.Keys)}{(_density ? ", sum" : "")}", name.Line, name.Column);
        var open = Next();
        Enter();
        var arguments = Arguments(open, name.Text);
        _nesting--;
        if (arguments.Count != function.Arity)
            throw new ModelParseException($"{name.Text} takes {function.Arity} argument{(function.Arity == 1 ? "" : "s")}, got {arguments.Count}", name.Line, name.Column);
        return Checked(new CallNode(function, [.. arguments], name.Line, name.Column));
    }

    private void Enter()
    {
        if (++_nesting > Node.MaxDepth)
        {
            var token = Peek;
            throw new ModelParseException($"expression nested more than {Node.MaxDepth} levels deep", token.Line, token.Column);
        }
    }

    private static T Checked<T>(T node) where T : Node =>
        node.Depth > Node.MaxDepth ? throw node.Error($"expression more than {Node.MaxDepth} levels deep; split it with intermediate parameters or parentheses") : node;

    /// <summary>The comma-separated arguments after <paramref name="open"/>, up to and including the closing ')'.</summary>
    private List<Node> Arguments(Token open, string of)
    {
        var arguments = new List<Node>();
        if (!Peek.Is(")"))
        {
            arguments.Add(Expression());
            while (Peek.Is(","))
            {
                _position++;
                arguments.Add(Expression());
            }
        }
        var close = Next();
        if (!close.Is(")"))
            throw new ModelParseException($"expected ',' or ')' to close the '(' of {of} at line {open.Line}, column {open.Column}, found {close.Describe()}", close.Line, close.Column);
        return arguments;
    }
}
