using System.Globalization;
using Drift.Solve;

namespace Drift.Models.Text;

/// <summary>
/// Turns parsed statements into a model: resolves names, evaluates parameter defaults and initial values,
/// splits each equation into its dt coefficient (the drift) and dW_j coefficients (a row of g), and infers
/// or checks the noise kind.
/// </summary>
internal sealed class ModelBinder
{
    private const int MaxBrownianMotions = 1024;
    private static readonly HashSet<string> Keywords = ["param", "state", "noise", "t", "pi", "dt", "dW"];

    private readonly List<string> _parameterNames = [];
    private readonly List<double> _parameterValues = [];
    private readonly List<string> _stateNames = [];
    private readonly List<double> _initialState = [];
    private readonly List<StateStatement> _stateStatements = [];
    // Name → index, so that binding is linear in the number of declarations (a list search made it quadratic).
    private readonly Dictionary<string, int> _parameterIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);

    public static TextModel Bind(List<Statement> statements)
    {
        var binder = new ModelBinder();
        NoiseStatement? noise = null;
        var equations = new List<EquationStatement>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case ParameterStatement p:
                    binder.Declare(p.Name);
                    binder._parameterValues.Add(binder.Constant(p.Value, "a parameter value", p.Name.Text));
                    binder._parameterIndex.Add(p.Name.Text, binder._parameterNames.Count);
                    binder._parameterNames.Add(p.Name.Text);
                    break;
                case StateStatement s:
                    binder.Declare(s.Name);
                    binder._initialState.Add(binder.Constant(s.Value, "an initial value", s.Name.Text));
                    binder._stateIndex.Add(s.Name.Text, binder._stateNames.Count);
                    binder._stateNames.Add(s.Name.Text);
                    binder._stateStatements.Add(s);
                    break;
                case NoiseStatement n:
                    if (noise is not null) throw Error(n.Name, $"noise is already declared on line {noise.Name.Line}");
                    noise = n;
                    break;
                case EquationStatement e:
                    equations.Add(e);
                    break;
            }
        }
        if (binder._stateNames.Count == 0)
        {
            var at = statements.Count > 0 ? statements[0].Name : new Token(TokenKind.End, "", 0, 1, 1);
            throw Error(at, "the model declares no state: add 'state NAME = VALUE' and an equation 'dNAME = ... dt + ... dW1'");
        }
        return binder.Build(equations, noise);
    }

    private TextModel Build(List<EquationStatement> equations, NoiseStatement? noise)
    {
        int d = _stateNames.Count;
        var drift = new Node?[d];
        var diffusion = new Dictionary<int, Node>[d];
        var seen = new EquationStatement?[d];
        foreach (var e in equations)
        {
            int i = _stateIndex.GetValueOrDefault(e.State, -1);
            if (i < 0)
                throw Error(e.Name, _parameterIndex.ContainsKey(e.State)
                    ? $"'{e.Name.Text}' is an equation for '{e.State}', which is a parameter, not a state"
                    : $"'{e.Name.Text}' is an equation for '{e.State}', which is not a declared state; declare it with 'state {e.State} = VALUE'");
            if (seen[i] is { } first) throw Error(e.Name, $"'{e.Name.Text}' is already defined on line {first.Name.Line}");
            seen[i] = e;
            var bound = BindEquation(e.Value);
            CheckConstants(bound);
            var terms = Decompose(bound);
            if (terms.TryGetValue(-1, out var free) && !Algebra.IsNumber(free, 0))
                throw free.Error($"term '{free}' of {e.Name.Text} has no dt or dW factor; every term must be multiplied by dt or by one dW");
            if (!terms.TryGetValue(0, out var f))
                throw Error(e.Name, $"{e.Name.Text} has no dt term; write '0*dt + ...' for a component without drift");
            drift[i] = f;
            diffusion[i] = terms.Where(kv => kv.Key > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
        for (int i = 0; i < d; i++)
            if (seen[i] is null) throw Error(_stateStatements[i].Name, $"state '{_stateNames[i]}' has no equation 'd{_stateNames[i]} = ...'");

        int m = Math.Max(1, diffusion.SelectMany(g => g.Keys).DefaultIfEmpty(1).Max());
        var g = new Node?[d, m];
        for (int i = 0; i < d; i++)
            foreach (var (j, coefficient) in diffusion[i]) g[i, j - 1] = coefficient;
        var kind = NoiseKindOf(g, d, m, noise);
        return new TextModel([.. _parameterNames], [.. _parameterValues], [.. _stateNames], [.. _initialState], [.. drift.Select(n => n!)], g, kind);
    }

    private static NoiseKind NoiseKindOf(Node?[,] g, int d, int m, NoiseStatement? declared)
    {
        bool stateDependent = false, diagonal = m == d, ownStateOnly = true;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < m; j++)
            {
                if (g[i, j] is not { } n) continue;
                stateDependent |= n.DependsOnState;
                if (i != j) diagonal = false;
                else ownStateOnly &= StatesIn(n).All(s => s == i);
            }
        if (declared is null)
        {
            if (!stateDependent) return NoiseKind.Additive;
            if (m == 1) return NoiseKind.Scalar;
            return diagonal && ownStateOnly ? NoiseKind.Diagonal : NoiseKind.General;
        }
        var at = declared.Name;
        switch (at.Text)
        {
            case "scalar":
                if (m != 1) throw Error(at, $"scalar noise has one Brownian motion dW1, but dW{m} is used");
                return NoiseKind.Scalar;
            case "diagonal":
                if (!diagonal) throw Error(at, $"diagonal noise needs one Brownian motion per component (dW1 … dW{d}), dW_i appearing only in the equation of the i-th state");
                return NoiseKind.Diagonal;
            case "additive":
                if (stateDependent) throw Error(at, "additive noise cannot depend on the state, but a dW coefficient does");
                return NoiseKind.Additive;
            case "general":
                return NoiseKind.General;
            default:
                throw Error(at, $"unknown noise kind '{at.Text}'; use scalar, diagonal, additive or general");
        }
    }

    private static IEnumerable<int> StatesIn(Node n) => n switch
    {
        StateNode s => [s.Index],
        NegateNode u => StatesIn(u.Operand),
        BinaryNode b => StatesIn(b.Left).Concat(StatesIn(b.Right)),
        CallNode c => c.Arguments.SelectMany(StatesIn),
        _ => [],
    };

    private void Declare(Token name)
    {
        string text = name.Text;
        if (Keywords.Contains(text) || IsBrownian(text) || TextFunction.All.ContainsKey(text))
            throw Error(name, $"'{text}' is a reserved name (keywords, t, pi, dt, dW1…, and function names)");
        if (_parameterIndex.ContainsKey(text)) throw Error(name, $"'{text}' is already declared as a parameter");
        if (_stateIndex.ContainsKey(text)) throw Error(name, $"'{text}' is already declared as a state");
    }

    private static bool IsBrownian(string text) => text.StartsWith("dW", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(char.IsAsciiDigit);

    private double Constant(Node value, string what, string name)
    {
        double v = Algebra.Evaluate(Resolve(value, allowStates: false, what), _parameterValues);
        return double.IsFinite(v) ? v : throw value.Error(string.Create(CultureInfo.InvariantCulture, $"{what} of '{name}' evaluates to {v}; it must be finite"));
    }

    private Node BindEquation(Node value) => Resolve(value, allowStates: true, "an equation");

    private Node Resolve(Node node, bool allowStates, string context) => node switch
    {
        NameNode n => ResolveName(n, allowStates, context),
        NegateNode u => new NegateNode(Resolve(u.Operand, allowStates, context), u.Line, u.Column),
        BinaryNode b => new BinaryNode(b.Op, Resolve(b.Left, allowStates, context), Resolve(b.Right, allowStates, context), b.Line, b.Column),
        CallNode c => new CallNode(c.Function, [.. c.Arguments.Select(a => Resolve(a, allowStates, context))], c.Line, c.Column),
        _ => node,
    };

    private Node ResolveName(NameNode n, bool allowStates, string context)
    {
        string name = n.Name;
        if (_parameterIndex.TryGetValue(name, out int p)) return new ParameterNode(p, name, n.Line, n.Column);
        if (name == "pi") return new NumberNode(Math.PI, n.Line, n.Column);
        int s = _stateIndex.GetValueOrDefault(name, -1);
        bool differential = name is "dt" or "dW" || IsBrownian(name);
        if (!allowStates && (s >= 0 || name == "t" || differential))
            throw n.Error($"'{name}' cannot appear in {context}; only numbers, pi and parameters declared above can");
        if (s >= 0) return new StateNode(s, name, n.Line, n.Column);
        if (name == "t") return new TimeNode(n.Line, n.Column);
        if (name == "dt") return new DifferentialNode(0, n.Line, n.Column);
        if (name == "dW") return new DifferentialNode(1, n.Line, n.Column);
        if (differential)
        {
            if (name.Length > 6 || !int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int j) || j < 1 || j > MaxBrownianMotions)
                throw n.Error($"Brownian motions are dW1 … dW{MaxBrownianMotions}, not '{name}'");
            return new DifferentialNode(j, n.Line, n.Column);
        }
        if (TextFunction.All.ContainsKey(name)) throw n.Error($"'{name}' is a function; call it as {name}(...)");
        string known = ModelParseException.List([.. _parameterNames.Concat(allowStates ? _stateNames.Append("t") : [])]);
        string suggestion = _parameterNames.Concat(allowStates ? _stateNames : []).FirstOrDefault(k => Distance(k, name) <= Math.Max(1, name.Length / 3)) is { } close ? $"; did you mean '{close}'?" : "";
        throw n.Error($"unknown name '{name}'{suggestion}{(suggestion.Length == 0 && known.Length > 0 ? $" (known: {known})" : "")}");
    }

    /// <summary>
    /// Rejects a subexpression made of numbers alone (no parameter, state, t or differential) whose value is not finite,
    /// such as 1/0 or log(-1): it would make every path NaN at the first step, and the solver would blame the step size.
    /// Each maximal constant subexpression is evaluated once (linear in the size of the equation); a non-finite one is
    /// reported by its smallest non-finite part.
    /// </summary>
    private void CheckConstants(Node equation)
    {
        if (IsConstant(equation)) RejectNonFinite(equation);
    }

    /// <summary>Whether <paramref name="node"/> is made of numbers alone; maximal constant children of a non-constant node are checked here.</summary>
    private bool IsConstant(Node node)
    {
        var children = Children(node);
        if (children.Length == 0) return node is NumberNode;
        var constant = new bool[children.Length];
        bool all = true;
        for (int k = 0; k < children.Length; k++) all &= constant[k] = IsConstant(children[k]);
        if (all) return true;
        for (int k = 0; k < children.Length; k++)
            if (constant[k]) RejectNonFinite(children[k]);
        return false;
    }

    private void RejectNonFinite(Node constant)
    {
        if (constant is NumberNode || double.IsFinite(Algebra.Evaluate(constant, _parameterValues))) return;
        foreach (var child in Children(constant))
            if (child is not NumberNode && !double.IsFinite(Algebra.Evaluate(child, _parameterValues)))
            {
                RejectNonFinite(child);
                return;
            }
        double v = Algebra.Evaluate(constant, _parameterValues);
        throw constant.Error(string.Create(CultureInfo.InvariantCulture,
            $"the constant expression {constant} evaluates to {(double.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity")}; every path would become NaN"));
    }

    private static Node[] Children(Node node) => node switch
    {
        NegateNode u => [u.Operand],
        BinaryNode b => [b.Left, b.Right],
        CallNode c => c.Arguments,
        _ => [],
    };

    /// <summary>The expression as Σ_key coefficient·D_key with D_{-1} = 1, D_0 = dt, D_j = dW_j.</summary>
    private static Dictionary<int, Node> Decompose(Node node)
    {
        if (!node.HasDifferential) return new() { [-1] = node };
        switch (node)
        {
            case DifferentialNode d:
                return new() { [d.Index] = Algebra.Number(1, d) };
            case NegateNode n:
                return Decompose(n.Operand).ToDictionary(kv => kv.Key, kv => Algebra.Negate(kv.Value));
            case BinaryNode { Op: '+' or '-' } b:
            {
                var left = Decompose(b.Left);
                foreach (var (key, value) in Decompose(b.Right))
                    left[key] = left.TryGetValue(key, out var existing)
                        ? new BinaryNode(b.Op, existing, value, b.Line, b.Column)
                        : b.Op == '+' ? value : Algebra.Negate(value);
                return left;
            }
            case BinaryNode { Op: '*' } b when !b.Left.HasDifferential:
                return Decompose(b.Right).ToDictionary(kv => kv.Key, kv => Algebra.IsNumber(kv.Value, 1) ? b.Left : new BinaryNode('*', b.Left, kv.Value, b.Line, b.Column));
            case BinaryNode { Op: '*' } b when !b.Right.HasDifferential:
                return Decompose(b.Left).ToDictionary(kv => kv.Key, kv => Algebra.IsNumber(kv.Value, 1) ? b.Right : new BinaryNode('*', kv.Value, b.Right, b.Line, b.Column));
            case BinaryNode { Op: '*' } b:
                throw b.Error("a product of differentials (dt·dW, dW·dW) is not allowed; each term has one dt or one dW factor");
            case BinaryNode { Op: '/' } b when !b.Right.HasDifferential:
                return Decompose(b.Left).ToDictionary(kv => kv.Key, kv => (Node)new BinaryNode('/', kv.Value, b.Right, b.Line, b.Column));
            case BinaryNode { Op: '/' } b:
                throw b.Error("cannot divide by dt or dW");
            case CallNode c:
                throw c.Error($"dt and dW may appear only as factors of a term, not inside {c.Function.Name}(...)");
            default:
                throw node.Error("dt and dW may appear only as factors of a term, not in a power");
        }
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3 || a.Length > 64 || b.Length > 64) return int.MaxValue;
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int saved = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = saved;
            }
        }
        return row[b.Length];
    }

    private static ModelParseException Error(Token at, string reason) => new(reason, at.Line, at.Column);
}
