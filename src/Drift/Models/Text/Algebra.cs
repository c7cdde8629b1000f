namespace Drift.Models.Text;

/// <summary>
/// Tree rewriting: binding parameter values with constant folding (IEEE-exact: only all-number subtrees
/// are folded), lowering small integer powers to products, and symbolic differentiation with the
/// usual 0/1 simplifications (used for Jacobians only).
/// </summary>
internal static class Algebra
{
    public static NumberNode Number(double value, Node at) => new(value, at.Line, at.Column);

    public static bool IsNumber(Node n, double value) => n is NumberNode k && k.Value.Equals(value);

    /// <summary>Replaces parameters by their values and folds every subtree made of numbers only.</summary>
    public static Node Substitute(Node node, IReadOnlyList<double> parameters) => node switch
    {
        ParameterNode p => Number(parameters[p.Index], p),
        // The operand once: substituting it twice made a chain of d negations cost 2^d.
        NegateNode n => Substitute(n.Operand, parameters) switch
        {
            NumberNode k => Number(-k.Value, n),
            var operand => new NegateNode(operand, n.Line, n.Column),
        },
        BinaryNode b => Fold(b.Op, Substitute(b.Left, parameters), Substitute(b.Right, parameters), b),
        CallNode c => FoldCall(c.Function, [.. c.Arguments.Select(a => Substitute(a, parameters))], c),
        _ => node,
    };

    /// <summary>The value of a tree made of numbers and parameters only.</summary>
    public static double Evaluate(Node node, IReadOnlyList<double> parameters) =>
        Substitute(node, parameters) is NumberNode k ? k.Value : throw node.Error("expected a constant expression");

    private static Node Fold(char op, Node a, Node b, Node at)
    {
        if (a is NumberNode x && b is NumberNode y) return Number(Apply(op, x.Value, y.Value), at);
        return new BinaryNode(op, a, b, at.Line, at.Column);
    }

    private static Node FoldCall(TextFunction f, Node[] arguments, Node at)
    {
        if (arguments.All(a => a is NumberNode))
        {
            object[] values = [.. arguments.Select(a => (object)((NumberNode)a).Value)];
            return Number((double)f.Scalar.Invoke(null, values)!, at);
        }
        return new CallNode(f, arguments, at.Line, at.Column);
    }

    public static double Apply(char op, double a, double b) => op switch
    {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => a / b,
        _ => PowerOf(a, b),
    };

    /// <summary>a^b exactly as compiled code computes it: repeated products for small integer b, else Math.Pow.</summary>
    public static double PowerOf(double a, double b)
    {
        if (!IsSmallInteger(b)) return Math.Pow(a, b);
        int n = (int)Math.Abs(b);
        double r = n == 0 ? 1.0 : a;
        for (int i = 1; i < n; i++) r *= a;
        return b < 0 ? 1.0 / r : r;
    }

    public static bool IsSmallInteger(double b) => Math.Abs(b) <= 16 && b == Math.Floor(b);

    /// <summary>Rewrites a^n for integer |n| ≤ 16 as a·a·…·a (1/(…) for n &lt; 0) and other powers as pow(a, b).</summary>
    public static Node Lower(Node node) => node switch
    {
        NegateNode n => new NegateNode(Lower(n.Operand), n.Line, n.Column),
        BinaryNode { Op: '^' } b when b.Right is NumberNode k && IsSmallInteger(k.Value) => Product(Lower(b.Left), k.Value, b),
        BinaryNode { Op: '^' } b => new CallNode(TextFunction.Pow, [Lower(b.Left), Lower(b.Right)], b.Line, b.Column),
        BinaryNode b => new BinaryNode(b.Op, Lower(b.Left), Lower(b.Right), b.Line, b.Column),
        CallNode c => new CallNode(c.Function, [.. c.Arguments.Select(Lower)], c.Line, c.Column),
        _ => node,
    };

    private static Node Product(Node a, double exponent, Node at)
    {
        int n = (int)Math.Abs(exponent);
        Node r = n == 0 ? Number(1.0, at) : a;
        for (int i = 1; i < n; i++) r = new BinaryNode('*', r, a, at.Line, at.Column);
        return exponent < 0 ? new BinaryNode('/', Number(1.0, at), r, at.Line, at.Column) : r;
    }

    public static Node Add(Node a, Node b)
    {
        if (a is NumberNode x && b is NumberNode y) return Number(x.Value + y.Value, a);
        if (IsNumber(a, 0)) return b;
        if (IsNumber(b, 0)) return a;
        return new BinaryNode('+', a, b, a.Line, a.Column);
    }

    public static Node Subtract(Node a, Node b)
    {
        if (a is NumberNode x && b is NumberNode y) return Number(x.Value - y.Value, a);
        if (IsNumber(b, 0)) return a;
        if (IsNumber(a, 0)) return Negate(b);
        return new BinaryNode('-', a, b, a.Line, a.Column);
    }

    public static Node Multiply(Node a, Node b)
    {
        if (a is NumberNode x && b is NumberNode y) return Number(x.Value * y.Value, a);
        if (IsNumber(a, 0) || IsNumber(b, 0)) return Number(0, a);
        if (IsNumber(a, 1)) return b;
        if (IsNumber(b, 1)) return a;
        return new BinaryNode('*', a, b, a.Line, a.Column);
    }

    public static Node Divide(Node a, Node b)
    {
        if (a is NumberNode x && b is NumberNode y) return Number(x.Value / y.Value, a);
        if (IsNumber(a, 0)) return Number(0, a);
        if (IsNumber(b, 1)) return a;
        return new BinaryNode('/', a, b, a.Line, a.Column);
    }

    public static Node Negate(Node a) => a switch
    {
        NumberNode k => Number(-k.Value, a),
        NegateNode n => n.Operand,
        _ => new NegateNode(a, a.Line, a.Column),
    };

    private static CallNode Call(string name, params Node[] arguments) => new CallNode(TextFunction.Get(name), arguments, arguments[0].Line, arguments[0].Column);

    private static Node Square(Node a) => Multiply(a, a);

    /// <summary>∂node/∂x_k, simplified; the result shares subtrees with the input.</summary>
    public static Node Differentiate(Node node, int k)
    {
        if (!node.DependsOnState) return Number(0, node);
        switch (node)
        {
            case StateNode s:
                return Number(s.Index == k ? 1 : 0, s);
            case NegateNode n:
                return Negate(Differentiate(n.Operand, k));
            case BinaryNode b:
            {
                Node a = b.Left, c = b.Right, da = Differentiate(a, k), dc = Differentiate(c, k);
                return b.Op switch
                {
                    '+' => Add(da, dc),
                    '-' => Subtract(da, dc),
                    '*' => Add(Multiply(da, c), Multiply(a, dc)),
                    '/' => Subtract(Divide(da, c), Divide(Multiply(a, dc), Multiply(c, c))),
                    _ => PowerDerivative(a, c, da, dc, b),
                };
            }
            case CallNode call:
                return CallDerivative(call, k);
            default:
                return Number(0, node);
        }
    }

    private static Node PowerDerivative(Node a, Node b, Node da, Node db, Node at)
    {
        Node power = new BinaryNode('^', a, b, at.Line, at.Column);
        if (b is NumberNode n)
            return Multiply(Multiply(b, new BinaryNode('^', a, Number(n.Value - 1, b), at.Line, at.Column)), da);
        // d(a^b) = a^b (b' log a + b a'/a)
        return Multiply(power, Add(Multiply(db, Call("log", a)), Divide(Multiply(b, da), a)));
    }

    private static Node CallDerivative(CallNode call, int k)
    {
        var u = call.Arguments[0];
        var du = Differentiate(u, k);
        Node half = Number(0.5, u), one = Number(1, u);
        switch (call.Function.Name)
        {
            case "exp": return Multiply(call, du);
            case "log": return Divide(du, u);
            case "sqrt": return Divide(du, Multiply(Number(2, u), call));
            case "sin": return Multiply(Call("cos", u), du);
            case "cos": return Negate(Multiply(Call("sin", u), du));
            case "tan": return Divide(du, Square(Call("cos", u)));
            case "sinh": return Multiply(Call("cosh", u), du);
            case "cosh": return Multiply(Call("sinh", u), du);
            case "tanh": return Multiply(Subtract(one, Square(call)), du);
            case "asin": return Divide(du, Call("sqrt", Subtract(one, Square(u))));
            case "acos": return Negate(Divide(du, Call("sqrt", Subtract(one, Square(u)))));
            case "atan": return Divide(du, Add(one, Square(u)));
            case "abs": return Multiply(Call("sign", u), du);
            case "sign": return Number(0, u);
        }
        var v = call.Arguments[1];
        var dv = Differentiate(v, k);
        switch (call.Function.Name)
        {
            case "pow":
                return PowerDerivative(u, v, du, dv, call);
            default:
            {
                // min/max: the derivative of the selected argument, the mean of both at a tie.
                Node selector = call.Function.Name == "min" ? Call("sign", Subtract(v, u)) : Call("sign", Subtract(u, v));
                return Add(Multiply(half, Add(du, dv)), Multiply(Multiply(half, selector), Subtract(du, dv)));
            }
        }
    }
}
