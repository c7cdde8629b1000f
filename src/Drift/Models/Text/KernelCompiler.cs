using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace Drift.Models.Text;

/// <summary>
/// Compiles output expressions into one <see cref="BatchKernel"/> with System.Linq.Expressions: a loop over
/// registers of paths (Vector512 or Vector256 of double, whichever the machine accelerates) followed by a
/// scalar loop for the tail. State-free subexpressions (numbers, t, functions of t) are computed once per
/// call before the loops; subexpressions shared in the tree are computed once per register.
/// </summary>
/// <remarks>
/// Every lane operation is the IEEE operation of the scalar loop (no fused multiply-add) and functions call
/// the scalar <see cref="Math"/> routine lane by lane, so a path gets the same bits in a register as in the tail.
/// </remarks>
internal sealed class KernelCompiler
{
    private readonly ParameterExpression _t = Expression.Parameter(typeof(double), "t");
    private readonly ParameterExpression _x = Expression.Parameter(typeof(double).MakeByRefType(), "x");
    private readonly ParameterExpression _y = Expression.Parameter(typeof(double).MakeByRefType(), "y");
    private readonly ParameterExpression _paths = Expression.Parameter(typeof(int), "paths");
    private readonly ParameterExpression _p = Expression.Variable(typeof(int), "p");
    private readonly List<ParameterExpression> _variables = [];
    private readonly List<Expression> _prologue = [];
    private readonly Dictionary<Node, ParameterExpression> _scalarHoisted = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Node, int> _references = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, ParameterExpression> _rows = [];
    private readonly IReadOnlyList<Node> _outputs;

    private KernelCompiler(IReadOnlyList<Node> outputs) => _outputs = outputs;

    /// <summary>The lane type the running machine accelerates, or null for scalar code only.</summary>
    public static Type? AcceleratedLane =>
        Vector512.IsHardwareAccelerated ? typeof(Vector512<double>) : Vector256.IsHardwareAccelerated ? typeof(Vector256<double>) : null;

    /// <summary>Compiles the outputs (already bound to numbers and lowered: no parameters, no '^').</summary>
    /// <param name="outputs">One expression per output row.</param>
    /// <param name="lane">Register type for the main loop, or null for a scalar loop only.</param>
    public static BatchKernel Compile(IReadOnlyList<Node> outputs, Type? lane)
    {
        var compiler = new KernelCompiler(outputs);
        foreach (var o in outputs) compiler.Count(o);
        var loops = new List<Expression>();
        if (lane is not null) loops.Add(compiler.Loop(lane, lane == typeof(Vector512<double>) ? 8 : 4));
        loops.Add(compiler.Loop(typeof(double), 1));
        var body = new List<Expression>(compiler._prologue) { Expression.Assign(compiler._p, Expression.Constant(0)) };
        body.AddRange(loops);
        var block = Expression.Block([compiler._p, .. compiler._variables], body);
        return Expression.Lambda<BatchKernel>(block, "TextModelKernel", [compiler._t, compiler._x, compiler._y, compiler._paths]).Compile();
    }

    private void Count(Node n)
    {
        _references[n] = _references.GetValueOrDefault(n) + 1;
        if (_references[n] > 1) return;
        foreach (var child in Children(n)) Count(child);
    }

    private static Node[] Children(Node n) => n switch
    {
        NegateNode u => [u.Operand],
        BinaryNode b => [b.Left, b.Right],
        CallNode c => c.Arguments,
        _ => [],
    };

    private ParameterExpression Row(int offset)
    {
        if (_rows.TryGetValue(offset, out var row)) return row;
        row = Expression.Variable(typeof(int), $"row{offset}");
        _variables.Add(row);
        _prologue.Add(Expression.Assign(row, Expression.Multiply(Expression.Constant(offset), _paths)));
        return _rows[offset] = row;
    }

    private LoopExpression Loop(Type lane, int width)
    {
        var emitter = new LaneEmitter(this, lane);
        var iteration = new List<Expression>();
        var states = new SortedSet<int>();
        foreach (var o in _outputs) CollectStates(o, states, new HashSet<Node>(ReferenceEqualityComparer.Instance));
        string suffix = width == 8 ? "512" : width == 4 ? "256" : "";
        var load = typeof(LaneFunctions).GetMethod("Load" + suffix)!;
        var store = typeof(LaneFunctions).GetMethod("Store" + suffix)!;
        foreach (int i in states)
        {
            var local = Expression.Variable(lane, $"x{i}_{suffix}");
            _variables.Add(local);
            emitter.States[i] = local;
            iteration.Add(Expression.Assign(local, Expression.Call(load, _x, Expression.Add(Row(i), _p))));
        }
        for (int k = 0; k < _outputs.Count; k++)
            iteration.Add(Expression.Call(store, _y, Expression.Add(Row(k), _p), emitter.Emit(_outputs[k])));
        iteration.Add(Expression.AddAssign(_p, Expression.Constant(width)));
        var done = Expression.Label($"done{suffix}");
        return Expression.Loop(
            Expression.IfThenElse(Expression.GreaterThan(_p, Expression.Subtract(_paths, Expression.Constant(width))),
                Expression.Break(done), Expression.Block(iteration)),
            done);
    }

    private static void CollectStates(Node n, SortedSet<int> states, HashSet<Node> visited)
    {
        if (!n.DependsOnState || !visited.Add(n)) return;
        if (n is StateNode s) states.Add(s.Index);
        foreach (var child in Children(n)) CollectStates(child, states, visited);
    }

    /// <summary>A state-free value computed once per call, as a scalar.</summary>
    private Expression Scalar(Node n)
    {
        switch (n)
        {
            case NumberNode k: return Expression.Constant(k.Value);
            case TimeNode: return _t;
        }
        if (_scalarHoisted.TryGetValue(n, out var local)) return local;
        Expression value = n switch
        {
            NegateNode u => Expression.Negate(Scalar(u.Operand)),
            BinaryNode b => Binary(b.Op, Scalar(b.Left), Scalar(b.Right)),
            CallNode c => Expression.Call(c.Function.Scalar, c.Arguments.Select(Scalar)),
            _ => throw new InvalidOperationException($"cannot compile {n.GetType().Name} as a constant"),
        };
        local = Expression.Variable(typeof(double), $"h{_scalarHoisted.Count}");
        _variables.Add(local);
        _prologue.Add(Expression.Assign(local, value));
        return _scalarHoisted[n] = local;
    }

    private static BinaryExpression Binary(char op, Expression a, Expression b) => op switch
    {
        '+' => Expression.Add(a, b),
        '-' => Expression.Subtract(a, b),
        '*' => Expression.Multiply(a, b),
        '/' => Expression.Divide(a, b),
        _ => throw new InvalidOperationException($"operator '{op}' must be lowered before compilation"),
    };

    /// <summary>Emits expressions over one lane type, with per-register common subexpressions.</summary>
    private sealed class LaneEmitter(KernelCompiler owner, Type lane)
    {
        private static readonly MethodInfo Broadcast256 = typeof(Vector256).GetMethod(nameof(Vector256.Create), [typeof(double)])!;
        private static readonly MethodInfo Broadcast512 = typeof(Vector512).GetMethod(nameof(Vector512.Create), [typeof(double)])!;
        private readonly Dictionary<Node, ParameterExpression> _hoisted = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Node, ParameterExpression> _shared = new(ReferenceEqualityComparer.Instance);

        public Dictionary<int, ParameterExpression> States { get; } = [];

        public Expression Emit(Node n)
        {
            if (!n.DependsOnState) return Hoisted(n);
            if (n is StateNode s) return States[s.Index];
            if (_shared.TryGetValue(n, out var local)) return local;
            Expression value = n switch
            {
                NegateNode u => Expression.Negate(Emit(u.Operand)),
                BinaryNode b => Binary(b.Op, Emit(b.Left), Emit(b.Right)),
                CallNode c => Call(c),
                _ => throw new InvalidOperationException($"cannot compile {n.GetType().Name}"),
            };
            if (owner._references[n] < 2) return value;
            local = Expression.Variable(lane, $"s{owner._variables.Count}");
            owner._variables.Add(local);
            _shared[n] = local;
            return Expression.Assign(local, value);
        }

        private MethodCallExpression Call(CallNode c)
        {
            var arguments = c.Arguments.Select(Emit).ToArray();
            if (lane == typeof(double)) return Expression.Call(c.Function.Scalar, arguments);
            Type vector = lane == typeof(Vector512<double>) ? typeof(Vector512) : typeof(Vector256);
            if (c.Function.Name is "sqrt" or "abs") // exact in every width: the same bits as Math.Sqrt / Math.Abs
            {
                string name = c.Function.Name == "sqrt" ? "Sqrt" : "Abs";
                var method = vector.GetMethods().Single(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == 1);
                return Expression.Call(method.MakeGenericMethod(typeof(double)), arguments);
            }
            return Expression.Call(c.Function.Lanes(lane), arguments);
        }

        private Expression Hoisted(Node n)
        {
            var scalar = owner.Scalar(n);
            if (lane == typeof(double)) return scalar;
            if (_hoisted.TryGetValue(n, out var local)) return local;
            local = Expression.Variable(lane, $"b{owner._variables.Count}");
            owner._variables.Add(local);
            owner._prologue.Add(Expression.Assign(local, Expression.Call(lane == typeof(Vector512<double>) ? Broadcast512 : Broadcast256, scalar)));
            return _hoisted[n] = local;
        }
    }
}
