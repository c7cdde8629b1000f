using System.Linq.Expressions;
using System.Reflection;

namespace Drift.Sampling.Language;

/// <summary>log π(u), with ∇log π(u) written to <paramref name="gradient"/> and each statement's value to <paramref name="terms"/>.</summary>
internal delegate double CompiledDensity(double[] u, double[] gradient, double[] terms);

/// <summary>
/// Compiles a small <see cref="DensityProgram"/> to one straight-line method (System.Linq.Expressions): every
/// element of every parameter-dependent node becomes a local, the forward pass and the reverse-mode adjoint sweep
/// are unrolled element by element, data and folded constants become literals, and the distributions are called
/// as the same scalar kernels the interpreter uses. The operations and their order are the interpreter's, except
/// that sums over a vector (Σ of a <c>sum</c>, a matrix–vector dot product, a scalar broadcast's adjoint) run
/// left to right where the interpreter's SIMD sweeps sum in lanes, so the two agree to rounding.
/// </summary>
/// <remarks>
/// The code grows with the work of one evaluation, so only small programs are compiled: <see cref="Cost"/> counts
/// the scalar operations of one evaluation (the size of each parameter-dependent node, rows × columns of a
/// matrix–vector product, the broadcast length of a <c>~</c> statement), and a program is compiled when it is at
/// most <see cref="DefaultLimit"/> (and the runtime compiles dynamic code: <see cref="Compiles"/>). Larger ones (data-heavy likelihoods) stay interpreted, where one node's
/// SIMD sweep over the data costs far more than its dispatch.
/// </remarks>
internal sealed class DensityCompiler
{
    /// <summary>The largest <see cref="Cost"/> compiled to straight-line code.</summary>
    public const long DefaultLimit = 1024;

    private readonly ParameterExpression _u = Expression.Parameter(typeof(double[]), "u");
    private readonly ParameterExpression _gradient = Expression.Parameter(typeof(double[]), "gradient");
    private readonly ParameterExpression _terms = Expression.Parameter(typeof(double[]), "terms");
    private readonly List<ParameterExpression> _variables = [];
    private readonly List<Expression> _body = [];
    private readonly Dictionary<TapeNode, Expression[]> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TapeNode, Expression?[]> _adjoints = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TapeNode, Expression?[][]> _partials = new(ReferenceEqualityComparer.Instance);

    private static readonly MethodInfo Pow = typeof(Math).GetMethod(nameof(Math.Pow), [typeof(double), typeof(double)])!;
    private static readonly MethodInfo Log = typeof(Math).GetMethod(nameof(Math.Log), [typeof(double)])!;
    private static readonly MethodInfo Max = typeof(Math).GetMethod(nameof(Math.Max), [typeof(double), typeof(double)])!;
    private static readonly MethodInfo Min = typeof(Math).GetMethod(nameof(Math.Min), [typeof(double), typeof(double)])!;
    private static readonly MethodInfo Apply = typeof(ParameterTransform).GetMethod(nameof(ParameterTransform.Apply))!;
    private static readonly MethodInfo Derivative = typeof(DensityProgram).GetMethod(nameof(DensityProgram.Derivative), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo MinMaxWeight = typeof(DensityProgram).GetMethod(nameof(DensityProgram.MinMaxWeight), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The scalar operations of one evaluation (the compile rule's measure).</summary>
    public static long Cost(IEnumerable<TapeNode> tape) => tape.Where(n => n.Fixed is null).Sum(n => n.Op switch
    {
        TapeOp.MatrixVector => (long)n.Children[0].Rows * n.Children[0].Columns + n.Size,
        TapeOp.Distribution => (long)n.Length,
        _ => (long)n.Size,
    });

    /// <summary>
    /// The rule: compile when the cost is at most <paramref name="limit"/> (0 never) and the runtime compiles dynamic
    /// code to machine code (not under Native AOT, where System.Linq.Expressions would interpret the tree, slower than
    /// <see cref="DensityProgram"/>'s own interpreter).
    /// </summary>
    public static bool Compiles(IEnumerable<TapeNode> tape, long limit) =>
        limit > 0 && System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled && Cost(tape) <= limit;

    /// <summary>Compiles the program (tape in topological order, statements, parameters with their transforms).</summary>
    public static CompiledDensity Compile(TapeNode[] tape, TapeNode[] terms, BoundParameter[] parameters)
    {
        var c = new DensityCompiler();
        var lp = c.Variable();
        c._body.Add(Expression.Assign(lp, Expression.Constant(0.0)));
        var dxdu = new Expression?[parameters.Sum(p => p.Size)];
        var dlogJ = new Expression?[dxdu.Length];
        foreach (var p in parameters) c.Transform(p, lp, dxdu, dlogJ);
        foreach (var n in tape)
            if (n.Fixed is null && n.Op != TapeOp.Parameter) c.Forward(n);
        for (int t = 0; t < terms.Length; t++)
        {
            var value = c.Value(terms[t], 0);
            c._body.Add(Expression.Assign(lp, Expression.Add(lp, value)));
            c._body.Add(Expression.Assign(Expression.ArrayAccess(c._terms, Expression.Constant(t)), value));
        }

        foreach (var t in terms) c.Accumulate(t, 0, Expression.Constant(1.0));
        for (int k = tape.Length - 1; k >= 0; k--)
            if (tape[k].Fixed is null && tape[k].Op != TapeOp.Parameter) c.Backward(tape[k]);
        foreach (var p in parameters)
        {
            var adjoint = c._adjoints.GetValueOrDefault(p.Node);
            for (int i = 0; i < p.Size; i++)
            {
                int j = p.Start + i;
                var g = adjoint?[i];
                Expression gradient = dxdu[j] is null ? g ?? Expression.Constant(0.0)
                    : g is null ? dlogJ[j]! : Expression.Add(Expression.Multiply(g, dxdu[j]!), dlogJ[j]!);
                c._body.Add(Expression.Assign(Expression.ArrayAccess(c._gradient, Expression.Constant(j)), gradient));
            }
        }
        c._body.Add(lp);
        var block = Expression.Block(typeof(double), c._variables, c._body);
        return Expression.Lambda<CompiledDensity>(block, "DensityGradient", [c._u, c._gradient, c._terms]).Compile();
    }

    private ParameterExpression Variable()
    {
        var v = Expression.Variable(typeof(double));
        _variables.Add(v);
        return v;
    }

    /// <summary>A local holding <paramref name="e"/> (literals and locals are used as they are).</summary>
    private Expression Let(Expression e)
    {
        if (e is ConstantExpression or ParameterExpression) return e;
        var v = Variable();
        _body.Add(Expression.Assign(v, e));
        return v;
    }

    /// <summary>Element i of a node's value (scalars broadcast).</summary>
    private Expression Value(TapeNode n, int i)
    {
        if (n.Fixed is { } f) return Expression.Constant(f[f.Length == 1 ? 0 : i]);
        var v = _values[n];
        return v[v.Length == 1 ? 0 : i];
    }

    /// <summary>x = T(u) for each element, log|dx/du| added to <paramref name="lp"/> (the interpreter's order: before the statements).</summary>
    private void Transform(BoundParameter p, ParameterExpression lp, Expression?[] dxdu, Expression?[] dlogJ)
    {
        var x = new Expression[p.Size];
        for (int i = 0; i < p.Size; i++)
        {
            int j = p.Start + i;
            var u = Expression.ArrayIndex(_u, Expression.Constant(j));
            if (!p.Transform.HasLower && !p.Transform.HasUpper)
            {
                x[i] = Let(u);
                continue;
            }
            ParameterExpression xi = Variable(), d = Variable(), l = Variable(), dl = Variable();
            _body.Add(Expression.Assign(xi, Expression.Call(Expression.Constant(p.Transform), Apply, u, d, l, dl)));
            _body.Add(Expression.Assign(lp, Expression.Add(lp, l)));
            (x[i], dxdu[j], dlogJ[j]) = (xi, d, dl);
        }
        _values[p.Node] = x;
    }

    private void Forward(TapeNode n)
    {
        var y = new Expression[n.Size];
        _values[n] = y;
        var children = n.Children;
        switch (n.Op)
        {
            case TapeOp.Add:
            case TapeOp.Subtract:
            case TapeOp.Multiply:
            case TapeOp.Divide:
            {
                var type = n.Op switch
                {
                    TapeOp.Add => ExpressionType.Add,
                    TapeOp.Subtract => ExpressionType.Subtract,
                    TapeOp.Multiply => ExpressionType.Multiply,
                    _ => ExpressionType.Divide,
                };
                for (int i = 0; i < y.Length; i++) y[i] = Let(Expression.MakeBinary(type, Value(children[0], i), Value(children[1], i)));
                break;
            }
            case TapeOp.Negate:
                for (int i = 0; i < y.Length; i++) y[i] = Let(Expression.Negate(Value(children[0], i)));
                break;
            case TapeOp.Power:
                for (int i = 0; i < y.Length; i++) y[i] = Let(Expression.Call(Pow, Value(children[0], i), Value(children[1], i)));
                break;
            case TapeOp.Function:
                for (int i = 0; i < y.Length; i++) y[i] = Let(Expression.Call(n.Function!.Scalar, Value(children[0], i)));
                break;
            case TapeOp.MinMax:
                for (int i = 0; i < y.Length; i++) y[i] = Let(Expression.Call(n.IsMax ? Max : Min, Value(children[0], i), Value(children[1], i)));
                break;
            case TapeOp.MatrixVector:
            {
                var matrix = children[0];
                for (int r = 0; r < y.Length; r++)
                {
                    Expression sum = Expression.Constant(0.0);
                    for (int k = 0; k < matrix.Columns; k++)
                        sum = Expression.Add(Expression.Multiply(Expression.Constant(matrix.Fixed![k * matrix.Rows + r]), Value(children[1], k)), sum);
                    y[r] = Let(sum);
                }
                break;
            }
            case TapeOp.Sum:
            {
                var child = children[0];
                Expression sum = Expression.Constant(0.0);
                for (int i = 0; i < child.Size; i++) sum = Expression.Add(sum, Value(child, i));
                y[0] = Let(sum);
                break;
            }
            case TapeOp.Distribution:
                y[0] = Distribution(n);
                break;
            default:
                throw new InvalidOperationException($"cannot compile {n.Op}");
        }
    }

    /// <summary>The kernel type of a distribution.</summary>
    private static Type Kernel(DistributionKind kind) => kind switch
    {
        DistributionKind.Normal => typeof(NormalKernel),
        DistributionKind.StudentT => typeof(StudentTKernel),
        DistributionKind.Cauchy => typeof(CauchyKernel),
        DistributionKind.Exponential => typeof(ExponentialKernel),
        DistributionKind.Gamma => typeof(GammaKernel),
        DistributionKind.Beta => typeof(BetaKernel),
        DistributionKind.Lognormal => typeof(LognormalKernel),
        DistributionKind.BernoulliLogit => typeof(BernoulliLogitKernel),
        _ => typeof(PoissonLogKernel),
    };

    /// <summary>
    /// Σᵢ log p(yᵢ | argsᵢ) by the scalar kernel, element by element; each live child's partials are kept as locals
    /// (summed over the elements for a scalar child) for the reverse sweep.
    /// </summary>
    private Expression Distribution(TapeNode n)
    {
        var log = Kernel(n.Distribution!.Kind).GetMethod("Log", BindingFlags.Public | BindingFlags.Static)!;
        var children = n.Children;
        var partials = new Expression?[children.Length][];
        for (int k = 0; k < children.Length; k++) partials[k] = new Expression?[children[k].Live ? children[k].Size : 0];
        _partials[n] = partials;
        var dummy = Variable();
        var sum = Variable();
        _body.Add(Expression.Assign(sum, Expression.Constant(0.0)));
        for (int i = 0; i < n.Length; i++)
        {
            var args = new Expression[8];
            for (int k = 0; k < 4; k++)
            {
                args[k] = k < children.Length ? Value(children[k], i) : Expression.Constant(0.0);
                args[4 + k] = k < children.Length && children[k].Live ? Variable() : dummy;
            }
            _body.Add(Expression.Assign(sum, Expression.Add(sum, Expression.Call(log, args))));
            for (int k = 0; k < children.Length; k++)
            {
                if (!children[k].Live) continue;
                int e = children[k].Size == 1 ? 0 : i;
                partials[k][e] = partials[k][e] is { } previous ? Let(Expression.Add(previous, args[4 + k])) : args[4 + k];
            }
        }
        return Let(Expression.Add(Expression.Constant(n.Constant), sum));
    }

    /// <summary>Adds a contribution to element i of a child's adjoint (to element 0 of a scalar child).</summary>
    private void Accumulate(TapeNode child, int i, Expression contribution)
    {
        if (!child.Live) return;
        if (!_adjoints.TryGetValue(child, out var adjoint)) _adjoints[child] = adjoint = new Expression?[child.Size];
        int e = child.Size == 1 ? 0 : i;
        adjoint[e] = adjoint[e] is { } previous ? Let(Expression.Add(previous, contribution)) : Let(contribution);
    }

    private void Backward(TapeNode n)
    {
        if (!_adjoints.TryGetValue(n, out var adjoint)) return;
        var children = n.Children;
        for (int i = 0; i < adjoint.Length; i++)
        {
            if (adjoint[i] is not { } g) continue;
            switch (n.Op)
            {
                case TapeOp.Add:
                    Accumulate(children[0], i, g);
                    Accumulate(children[1], i, g);
                    break;
                case TapeOp.Subtract:
                    Accumulate(children[0], i, g);
                    Accumulate(children[1], i, Expression.Negate(g));
                    break;
                case TapeOp.Multiply:
                    Accumulate(children[0], i, Expression.Multiply(g, Value(children[1], i)));
                    Accumulate(children[1], i, Expression.Multiply(g, Value(children[0], i)));
                    break;
                case TapeOp.Divide:
                    // y = a/b: ∂/∂a = 1/b, ∂/∂b = −y/b.
                    Accumulate(children[0], i, Expression.Divide(g, Value(children[1], i)));
                    if (children[1].Live) Accumulate(children[1], i, Expression.Negate(Expression.Multiply(Expression.Divide(g, Value(children[1], i)), Value(n, i))));
                    break;
                case TapeOp.Negate:
                    Accumulate(children[0], i, Expression.Negate(g));
                    break;
                case TapeOp.Power:
                {
                    Expression a = Value(children[0], i), b = Value(children[1], i), y = Value(n, i), zero = Expression.Constant(0.0);
                    if (children[0].Live)
                        Accumulate(children[0], i, Expression.Multiply(g, Expression.Condition(Expression.Equal(b, zero), zero,
                            Expression.Multiply(b, Expression.Call(Pow, a, Expression.Subtract(b, Expression.Constant(1.0)))))));
                    if (children[1].Live)
                        Accumulate(children[1], i, Expression.Multiply(g, Expression.Condition(Expression.Equal(y, zero), zero, Expression.Multiply(y, Expression.Call(Log, a)))));
                    break;
                }
                case TapeOp.Function:
                {
                    Expression a = Value(children[0], i), y = Value(n, i);
                    Expression derivative = n.Function!.Name switch
                    {
                        "exp" => y,
                        "log" => Expression.Divide(Expression.Constant(1.0), a),
                        "sqrt" => Expression.Divide(Expression.Constant(0.5), y),
                        string name => Expression.Call(Derivative, Expression.Constant(name), a, y),
                    };
                    Accumulate(children[0], i, Expression.Multiply(g, derivative));
                    break;
                }
                case TapeOp.MinMax:
                {
                    Expression a = Value(children[0], i), b = Value(children[1], i), isMax = Expression.Constant(n.IsMax);
                    if (children[0].Live) Accumulate(children[0], i, Expression.Multiply(g, Expression.Call(MinMaxWeight, isMax, a, b)));
                    if (children[1].Live) Accumulate(children[1], i, Expression.Multiply(g, Expression.Call(MinMaxWeight, isMax, b, a)));
                    break;
                }
                case TapeOp.MatrixVector:
                    break; // all rows at once, below
                case TapeOp.Sum:
                    for (int k = 0; k < children[0].Size; k++) Accumulate(children[0], k, g);
                    break;
                case TapeOp.Distribution:
                {
                    var partials = _partials[n];
                    for (int k = 0; k < children.Length; k++)
                        for (int e = 0; e < partials[k].Length; e++)
                            if (partials[k][e] is { } partial) Accumulate(children[k], e, Expression.Multiply(partial, g));
                    break;
                }
            }
        }
        if (n.Op == TapeOp.MatrixVector && children[1].Live)
        {
            // v̄ₖ += Σᵣ M[r, k] ȳᵣ.
            var matrix = children[0];
            for (int k = 0; k < matrix.Columns; k++)
            {
                Expression? dot = null;
                for (int r = 0; r < matrix.Rows; r++)
                {
                    if (adjoint[r] is not { } g) continue;
                    var term = Expression.Multiply(Expression.Constant(matrix.Fixed![k * matrix.Rows + r]), g);
                    dot = dot is null ? term : Expression.Add(dot, term);
                }
                if (dot is not null) Accumulate(children[1], k, dot);
            }
        }
    }
}
