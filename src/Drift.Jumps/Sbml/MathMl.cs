using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Drift.Models.Text;

namespace Drift.Jumps.Sbml;

/// <summary>
/// Content MathML of SBML kinetic laws → expression trees of the model language (<see cref="Node"/>), the form the
/// reaction-network format's propensities already compile from. Supported: <c>&lt;apply&gt;</c> with <c>plus minus
/// times divide power exp ln root abs sin cos</c> (n-ary plus and times fold left, as the text parser associates them),
/// <c>&lt;ci&gt;</c> (resolved by the caller), <c>&lt;cn&gt;</c> of type integer, real, e-notation (a·10ᵇ) and rational
/// (a/b), <c>pi</c>, <c>exponentiale</c>, the csymbols <c>avogadro</c> (6.02214076·10²³) and <c>time</c> (the model
/// time t, a <see cref="TimeNode"/>), calls of SBML function
/// definitions (their lambda bodies inlined with the arguments substituted). Everything else, the csymbol
/// delay included, is refused with a <see cref="ModelParseException"/> at the element's line and column.
/// </summary>
internal sealed class MathMl
{
    private const int MaxDepth = 200;
    private const string CsymbolBase = "http://www.sbml.org/sbml/symbols/";

    private readonly Dictionary<string, (string[] Arguments, XElement Body)> _functions = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="id"/> names a function definition.</summary>
    public bool IsFunction(string id) => _functions.ContainsKey(id);

    /// <summary>Registers a <c>&lt;functionDefinition&gt;</c>: its <c>&lt;math&gt;&lt;lambda&gt;</c> with bvars and one body.</summary>
    public void Define(string id, XElement definition)
    {
        var lambda = Only(Child(definition, "math"), $"function definition '{id}'");
        if (lambda.Name.LocalName != "lambda") throw Error(lambda, $"function definition '{id}' must hold a <lambda>, found <{lambda.Name.LocalName}>");
        var parts = lambda.Elements().Where(e => e.Name.LocalName is not "annotation").ToList();
        var bvars = parts.TakeWhile(e => e.Name.LocalName == "bvar").ToList();
        if (parts.Count != bvars.Count + 1) throw Error(lambda, $"function definition '{id}' must have its arguments (<bvar>) followed by one body expression");
        string[] names = [.. bvars.Select(b => Only(b, $"a <bvar> of function '{id}'") is { Name.LocalName: "ci" } ci ? ci.Value.Trim() : throw Error(b, $"a <bvar> of function '{id}' must hold a <ci>"))];
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw Error(lambda, $"function definition '{id}' repeats an argument name");
        _functions[id] = (names, parts[^1]);
    }

    /// <summary>
    /// The expression held by a <c>&lt;math&gt;</c> element. <paramref name="resolve"/> turns a <c>&lt;ci&gt;</c> name into a
    /// node (or throws); <paramref name="what"/> names the law for messages ("the kinetic law of reaction 'R1'").
    /// </summary>
    public Node Convert(XElement math, Func<string, XElement, Node> resolve, string what)
    {
        var node = Expression(Only(math, what), new Scope(resolve, null, null, what), 0);
        if (node.Depth > Node.MaxDepth) throw Error(math, $"{what} is nested deeper than {Node.MaxDepth} levels (an n-ary plus or times counts one level per argument)");
        // Inlined arguments are shared, so a law's tree can be exponentially larger than its XML (f(f(f(x))) with f(x) = x·x).
        if (TreeSize(node, new Dictionary<Node, long>(ReferenceEqualityComparer.Instance)) > MaxTreeSize)
            throw Error(math, $"{what} expands to more than {MaxTreeSize} operations once its function calls are inlined");
        return node;
    }

    private const long MaxTreeSize = 100_000;

    private static long TreeSize(Node n, Dictionary<Node, long> memo)
    {
        if (memo.TryGetValue(n, out long size)) return size;
        size = 1 + n switch
        {
            NegateNode u => TreeSize(u.Operand, memo),
            BinaryNode b => TreeSize(b.Left, memo) + TreeSize(b.Right, memo),
            CallNode c => c.Arguments.Sum(a => TreeSize(a, memo)),
            _ => 0,
        };
        size = Math.Min(size, MaxTreeSize + 1);
        memo[n] = size;
        return size;
    }

    private sealed record Scope(Func<string, XElement, Node> Resolve, string? Function, Dictionary<string, Node>? Bound, string What, Scope? Caller = null)
    {
        public bool Expands(string f) => Function == f || (Caller?.Expands(f) ?? false);
    }

    private Node Expression(XElement e, Scope scope, int depth)
    {
        if (depth > MaxDepth) throw Error(e, $"{scope.What} is nested deeper than {MaxDepth} levels");
        var (line, column) = Position(e);
        switch (e.Name.LocalName)
        {
            case "cn": return new NumberNode(Number(e, scope.What), line, column);
            case "ci":
            {
                string name = e.Value.Trim();
                if (scope.Bound is not null)
                    return scope.Bound.TryGetValue(name, out var argument) ? argument
                        : throw Error(e, $"function definition '{scope.Function}' uses '{name}', which is not one of its arguments");
                if (_functions.ContainsKey(name)) throw Error(e, $"function '{name}' is used without arguments; call it as <apply><ci>{name}</ci> ...</apply>");
                return scope.Resolve(name, e);
            }
            case "pi": return new NumberNode(Math.PI, line, column);
            case "exponentiale": return new NumberNode(Math.E, line, column);
            case "csymbol": return Symbol(e, scope.What);
            case "semantics": return Expression(e.Elements().FirstOrDefault() ?? throw Error(e, "empty <semantics>"), scope, depth + 1);
            case "apply": return Apply(e, scope, depth);
            default: throw Error(e, $"unsupported MathML element <{e.Name.LocalName}> in {scope.What}");
        }
    }

    private Node Apply(XElement e, Scope scope, int depth)
    {
        var (line, column) = Position(e);
        var children = e.Elements().ToList();
        if (children.Count == 0) throw Error(e, $"empty <apply> in {scope.What}");
        var head = children[0];
        var rest = children.Skip(1).ToList();
        if (head.Name.LocalName == "ci") return Call(head, rest, scope, depth);
        if (head.Name.LocalName == "csymbol" && head.Attribute("definitionURL")?.Value.Trim() == CsymbolBase + "delay")
            throw Error(head, $"{scope.What} uses a delay (csymbol delay); delayed reactions are not supported");
        if (head.Name.LocalName == "root") return Root(e, head, rest, scope, depth);
        Node[] a = [.. rest.Select(r => Expression(r, scope, depth + 1))];
        string op = head.Name.LocalName;
        return op switch
        {
            "plus" => a.Length == 0 ? new NumberNode(0, line, column) : Fold('+', a, line, column),
            "times" => a.Length == 0 ? new NumberNode(1, line, column) : Fold('*', a, line, column),
            "minus" when a.Length == 1 => new NegateNode(a[0], line, column),
            "minus" => new BinaryNode('-', Arguments(a, 2, head, scope)[0], a[1], line, column),
            "divide" => new BinaryNode('/', Arguments(a, 2, head, scope)[0], a[1], line, column),
            "power" => new BinaryNode('^', Arguments(a, 2, head, scope)[0], a[1], line, column),
            "exp" => new CallNode(TextFunction.Get("exp"), Arguments(a, 1, head, scope), line, column),
            "ln" => new CallNode(TextFunction.Get("log"), Arguments(a, 1, head, scope), line, column),
            "abs" => new CallNode(TextFunction.Get("abs"), Arguments(a, 1, head, scope), line, column),
            "sin" or "cos" => new CallNode(TextFunction.Get(op), Arguments(a, 1, head, scope), line, column),
            _ => throw Error(head, $"unsupported MathML operator <{op}> in {scope.What} (supported: plus, minus, times, divide, power, exp, ln, root, abs, sin, cos and function definitions)"),
        };
    }

    /// <summary>root with an optional &lt;degree&gt; (default 2): sqrt(x) for degree 2, else x^(1/n).</summary>
    private Node Root(XElement e, XElement head, List<XElement> rest, Scope scope, int depth)
    {
        var (line, column) = Position(e);
        Node degree = new NumberNode(2, line, column);
        if (rest.Count > 0 && rest[0].Name.LocalName == "degree")
        {
            degree = Expression(Only(rest[0], "a <degree>"), scope, depth + 1);
            rest = rest.Skip(1).ToList();
        }
        Node[] a = Arguments([.. rest.Select(r => Expression(r, scope, depth + 1))], 1, head, scope);
        if (degree is NumberNode { Value: 2 }) return new CallNode(TextFunction.Get("sqrt"), a, line, column);
        return new BinaryNode('^', a[0], new BinaryNode('/', new NumberNode(1, line, column), degree, line, column), line, column);
    }

    private Node Call(XElement head, List<XElement> rest, Scope scope, int depth)
    {
        string name = head.Value.Trim();
        if (!_functions.TryGetValue(name, out var f)) throw Error(head, $"'{name}' is applied as a function but no <functionDefinition> has that id");
        if (scope.Expands(name)) throw Error(head, $"function definition '{name}' calls itself");
        if (rest.Count != f.Arguments.Length) throw Error(head, $"function '{name}' takes {f.Arguments.Length} arguments, got {rest.Count}");
        var bound = new Dictionary<string, Node>(StringComparer.Ordinal);
        for (int i = 0; i < rest.Count; i++) bound[f.Arguments[i]] = Expression(rest[i], scope, depth + 1);
        return Expression(f.Body, new Scope(scope.Resolve, name, bound, scope.What, scope), depth + 1);
    }

    private static Node[] Arguments(Node[] a, int count, XElement head, Scope scope) =>
        a.Length == count ? a : throw Error(head, $"<{head.Name.LocalName}> takes {count} argument{(count == 1 ? "" : "s")} in {scope.What}, got {a.Length}");

    private static Node Fold(char op, Node[] a, int line, int column)
    {
        Node r = a[0];
        for (int i = 1; i < a.Length; i++) r = new BinaryNode(op, r, a[i], line, column);
        return r;
    }

    private static Node Symbol(XElement e, string what)
    {
        var (line, column) = Position(e);
        string url = e.Attribute("definitionURL")?.Value.Trim() ?? "";
        return url switch
        {
            CsymbolBase + "avogadro" => new NumberNode(6.02214076e23, line, column),
            CsymbolBase + "time" => new TimeNode(line, column),
            CsymbolBase + "delay" => throw Error(e, $"{what} uses a delay (csymbol delay); delayed reactions are not supported"),
            _ => throw Error(e, $"unsupported csymbol '{url}' in {what}"),
        };
    }

    /// <summary>The value of a &lt;cn&gt;: integer, real (default), e-notation a&lt;sep/&gt;b = a·10ᵇ, rational a&lt;sep/&gt;b = a/b.</summary>
    private static double Number(XElement e, string what)
    {
        string type = e.Attribute("type")?.Value.Trim() ?? "real";
        var texts = e.Nodes().Select(n => n is XText t ? t.Value : n is XElement { Name.LocalName: "sep" } ? "\u0000" : "").Aggregate("", string.Concat).Split('\u0000');
        double Parse(string s)
        {
            string trimmed = s.Trim();
            if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw Error(e, $"<cn> '{trimmed}' in {what} is not a finite number");
            return v;
        }
        bool two = type is "e-notation" or "rational";
        if (texts.Length != (two ? 2 : 1)) throw Error(e, two ? $"<cn type=\"{type}\"> needs two numbers separated by <sep/>" : $"<cn type=\"{type}\"> holds one number");
        double value = type switch
        {
            "integer" or "real" => Parse(texts[0]),
            "e-notation" => Parse(texts[0].Trim() + "e" + texts[1].Trim()),
            "rational" => Parse(texts[0]) / Parse(texts[1]),
            _ => throw Error(e, $"unsupported <cn type=\"{type}\"> in {what} (use integer, real, e-notation or rational)"),
        };
        if (type == "integer" && value != Math.Floor(value)) throw Error(e, $"<cn type=\"integer\"> '{texts[0].Trim()}' is not an integer");
        if (!double.IsFinite(value)) throw Error(e, $"<cn> in {what} is not finite");
        return value;
    }

    /// <summary>The one element child of <paramref name="e"/> (annotations aside).</summary>
    internal static XElement Only(XElement e, string what)
    {
        var children = e.Elements().Where(c => c.Name.LocalName is not ("annotation" or "annotation-xml")).ToList();
        return children.Count == 1 ? children[0] : throw Error(e, $"<{e.Name.LocalName}> of {what} must hold exactly one expression, found {children.Count}");
    }

    private static XElement Child(XElement e, string name) =>
        e.Elements().FirstOrDefault(c => c.Name.LocalName == name) ?? throw Error(e, $"<{e.Name.LocalName}> has no <{name}>");

    internal static (int Line, int Column) Position(XObject e) =>
        e is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, Math.Max(1, info.LinePosition)) : (1, 1);

    internal static ModelParseException Error(XObject e, string reason)
    {
        var (line, column) = Position(e);
        return new ModelParseException(reason, line, column);
    }
}
