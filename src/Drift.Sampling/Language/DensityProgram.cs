using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Drift.Sampling.Language;

/// <summary>A declared parameter after binding: its elements occupy [Start, Start + Size) of the sampling vector.</summary>
internal sealed record BoundParameter(string Name, int Start, int Size, bool IsVector, ParameterTransform Transform, TapeNode Node);

/// <summary>
/// A compiled log-density: the vector expression DAG of every statement in topological order, evaluated forward and
/// differentiated in reverse mode (adjoints accumulated from the statements back to the parameters, then through the
/// transforms). Values and adjoints live in a per-thread workspace allocated once, so an evaluation allocates nothing;
/// element-wise work over data vectors runs through <see cref="TensorPrimitives"/> (SIMD).
/// </summary>
/// <remarks>
/// Two evaluators compute the same function: a small program (<see cref="DensityCompiler.Cost"/> at most the compile
/// limit, <see cref="DensityCompiler.DefaultLimit"/> scalar operations, on a runtime that compiles dynamic code to
/// machine code) is compiled once, at bind time, to straight-line code by <see cref="DensityCompiler"/>, where the
/// per-node dispatch of the interpreter would dominate the arithmetic;
/// a larger one is interpreted node by node here, with SIMD sweeps over its data. The interpreter is also the
/// compiled code's oracle in the tests.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The per-thread workspaces are plain arrays; ThreadLocal releases them when the program is collected.")]
internal sealed class DensityProgram
{
    private readonly TapeNode[] _tape;
    private readonly TapeNode[] _terms;
    private readonly bool[][] _termParameters; // which sampling coordinates each term depends on
    private readonly int _workspaceSize, _partialSize, _scratchSize;
    private readonly ThreadLocal<Workspace> _workspaces;
    private readonly CompiledDensity? _compiled;

    /// <param name="tape">Every node in topological order.</param>
    /// <param name="terms">The statements' nodes (scalars), summed into log π.</param>
    /// <param name="parameters">The declared parameters in sampling order.</param>
    /// <param name="compileLimit">The largest <see cref="DensityCompiler.Cost"/> compiled to straight-line code (0: always interpret).</param>
    public DensityProgram(List<TapeNode> tape, List<TapeNode> terms, List<BoundParameter> parameters, long compileLimit = DensityCompiler.DefaultLimit)
    {
        _tape = [.. tape];
        _terms = [.. terms];
        Parameters = [.. parameters];
        Dimension = parameters.Sum(p => p.Size);
        int offset = 0, partial = 0, scratch = 1;
        foreach (var n in _tape)
        {
            if (n.Fixed is not null) continue;
            n.Offset = offset;
            offset += n.Size;
            scratch = Math.Max(scratch, n.Size);
            if (n.Op == TapeOp.Distribution)
            {
                n.PartialOffsets = new int[n.Children.Length];
                for (int k = 0; k < n.Children.Length; k++)
                {
                    n.PartialOffsets[k] = n.Children[k].Live ? partial : -1;
                    if (n.Children[k].Live) partial += n.Children[k].Size;
                }
                scratch = Math.Max(scratch, n.Children.Max(c => c.Size));
            }
        }
        _workspaceSize = offset;
        _partialSize = partial;
        _scratchSize = scratch;
        _termParameters = [.. _terms.Select(DependsOn)];
        _workspaces = new ThreadLocal<Workspace>(() => new Workspace(_workspaceSize, _partialSize, _scratchSize, Dimension, _terms.Length));
        if (DensityCompiler.Compiles(_tape, compileLimit))
        {
            _compiled = DensityCompiler.Compile(_tape, _terms, Parameters);
            // The first call JIT-compiles the dynamic method: done here, so that compiling the model ends at bind time
            // (as a Stan model is compiled before sampling) instead of inside the first chain's first evaluation.
            _compiled(new double[Dimension], new double[Dimension], new double[_terms.Length]);
        }
    }

    /// <summary>Whether evaluations run the compiled straight-line code (else the interpreter).</summary>
    public bool IsCompiled => _compiled is not null;

    public BoundParameter[] Parameters { get; }

    /// <summary>The statements' nodes, one per <c>~</c> or <c>target +=</c> statement, in order.</summary>
    public IReadOnlyList<TapeNode> TermNodes => _terms;
    public int Dimension { get; }

    private bool[] DependsOn(TapeNode term)
    {
        var mask = new bool[Dimension];
        var seen = new HashSet<TapeNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<TapeNode>([term]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!n.Live || !seen.Add(n)) continue;
            if (n.Op == TapeOp.Parameter)
            {
                var p = Parameters[n.Parameter];
                for (int i = 0; i < p.Size; i++) mask[p.Start + i] = true;
            }
            foreach (var c in n.Children) stack.Push(c);
        }
        return mask;
    }

    private sealed class Workspace(int values, int partials, int scratch, int dimension, int terms)
    {
        public readonly double[] TermValues = new double[terms];
        public readonly double[] Values = new double[values];
        public readonly double[] Adjoints = new double[values];
        public readonly double[] Partials = new double[partials];
        public readonly double[] Scratch = new double[scratch];
        public readonly double[] Dxdu = new double[dimension];
        public readonly double[] DlogJ = new double[dimension];
        public readonly double[] Point = new double[dimension];
        public readonly double[] Gradient = new double[dimension];
        public readonly double[] Input = new double[dimension];
        public readonly double[] Output = new double[dimension];
    }

    /// <summary>The batch contract of <see cref="Targets.ILogDensity"/>: chains component-major, one chain at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length, d = Dimension;
        if (x.Length < d * n || gradient.Length < d * n)
            throw new ArgumentException($"{n} chains of dimension {d} need positions and gradients of length {d * n}, got {x.Length} and {gradient.Length}.", nameof(x));
        if (n == 1)
        {
            logDensity[0] = Evaluate(x[..d], gradient[..d]);
            return;
        }
        var w = _workspaces.Value!;
        for (int c = 0; c < n; c++)
        {
            for (int i = 0; i < d; i++) w.Point[i] = x[i * n + c];
            logDensity[c] = Evaluate(w.Point, w.Gradient);
            for (int i = 0; i < d; i++) gradient[i * n + c] = w.Gradient[i];
        }
    }

    /// <summary>Constrained values x = T(u) of every parameter element.</summary>
    public void Constrain(ReadOnlySpan<double> u, Span<double> x)
    {
        foreach (var p in Parameters)
            for (int i = 0; i < p.Size; i++) x[p.Start + i] = p.Transform.Apply(u[p.Start + i], out _, out _, out _);
    }

    /// <summary>
    /// log π(u) = Σ statements + Σ log-Jacobians, and its gradient in <paramref name="gradient"/>. Where a statement's
    /// value is not finite, the gradient of every coordinate it depends on is set to NaN, so that callers can name them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(ReadOnlySpan<double> u, Span<double> gradient)
    {
        var w = _workspaces.Value!;
        if (_compiled is not null)
        {
            u[..Dimension].CopyTo(w.Input);
            double value = _compiled(w.Input, w.Output, w.TermValues);
            w.Output.CopyTo(gradient);
            if (!double.IsFinite(value)) MarkNonFinite(w.TermValues, gradient);
            return value;
        }
        double logJ = 0;
        foreach (var p in Parameters)
        {
            var x = w.Values.AsSpan(p.Node.Offset, p.Size);
            for (int i = 0; i < p.Size; i++)
            {
                int j = p.Start + i;
                x[i] = p.Transform.Apply(u[j], out w.Dxdu[j], out double lj, out w.DlogJ[j]);
                logJ += lj;
            }
        }
        foreach (var n in _tape)
            if (n.Fixed is null && n.Op != TapeOp.Parameter) Forward(n, w);
        double lp = logJ;
        for (int t = 0; t < _terms.Length; t++) lp += w.TermValues[t] = Value(_terms[t], w)[0];

        // Reverse sweep.
        foreach (var n in _tape)
            if (n.Fixed is null) Array.Clear(w.Adjoints, n.Offset, n.Size);
        foreach (var t in _terms)
            if (t.Fixed is null) w.Adjoints[t.Offset] += 1;
        for (int k = _tape.Length - 1; k >= 0; k--)
        {
            var n = _tape[k];
            if (n.Fixed is null && n.Op != TapeOp.Parameter) Backward(n, w);
        }
        foreach (var p in Parameters)
        {
            var adj = w.Adjoints.AsSpan(p.Node.Offset, p.Size);
            for (int i = 0; i < p.Size; i++)
            {
                int j = p.Start + i;
                gradient[j] = adj[i] * w.Dxdu[j] + w.DlogJ[j];
            }
        }
        if (!double.IsFinite(lp)) MarkNonFinite(w.TermValues, gradient);
        return lp;
    }

    /// <summary>Sets the gradient to NaN in every coordinate that a statement with a non-finite value depends on.</summary>
    private void MarkNonFinite(ReadOnlySpan<double> termValues, Span<double> gradient)
    {
        for (int t = 0; t < _terms.Length; t++)
            if (!double.IsFinite(termValues[t]))
                for (int j = 0; j < Dimension; j++)
                    if (_termParameters[t][j]) gradient[j] = double.NaN;
    }

    /// <summary>The value of each statement at u (for messages): line, column and value.</summary>
    public IEnumerable<(int Line, int Column, double Value)> Terms(ReadOnlySpan<double> u)
    {
        var g = new double[Dimension];
        Evaluate(u, g);
        var w = _workspaces.Value!;
        var result = new List<(int, int, double)>();
        for (int t = 0; t < _terms.Length; t++) result.Add((_terms[t].Source.Line, _terms[t].Source.Column, w.TermValues[t]));
        return result;
    }

    private static ReadOnlySpan<double> Value(TapeNode n, Workspace w) => n.Fixed ?? w.Values.AsSpan(n.Offset, n.Size);

    /// <summary>
    /// The value of <paramref name="node"/> (a node of this program's tape) at the constrained parameter values
    /// <paramref name="constrained"/>, by the interpreter's forward pass whether or not the program is compiled; for
    /// drawing a prior ancestrally (its arguments at the parameters drawn so far). The span is valid until the next call on
    /// this thread.
    /// </summary>
    public ReadOnlySpan<double> ValueAt(ReadOnlySpan<double> constrained, TapeNode node)
    {
        if (node.Fixed is not null) return node.Fixed;
        var w = _workspaces.Value!;
        foreach (var p in Parameters) constrained.Slice(p.Start, p.Size).CopyTo(w.Values.AsSpan(p.Node.Offset, p.Size));
        foreach (var n in _tape)
        {
            if (n.Fixed is null && n.Op != TapeOp.Parameter) Forward(n, w);
            if (ReferenceEquals(n, node)) break;
        }
        return Value(node, w);
    }


    /// <summary>Computes a node's value at bind time (for constant folding), with a throwaway workspace.</summary>
    public static double[] Fold(TapeNode n)
    {
        int size = n.Size;
        var w = new Workspace(size, n.Op == TapeOp.Distribution ? n.Children.Sum(c => c.Size) : 0, Math.Max(size, n.Children.Select(c => c.Size).DefaultIfEmpty(1).Max()), 0, 0);
        int saved = n.Offset;
        n.Offset = 0;
        if (n.Op == TapeOp.Distribution) n.PartialOffsets = [.. n.Children.Select(_ => -1)];
        Forward(n, w);
        n.Offset = saved;
        return w.Values[..size];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward(TapeNode n, Workspace w)
    {
        var y = w.Values.AsSpan(n.Offset, n.Size);
        switch (n.Op)
        {
            case TapeOp.Add:
            case TapeOp.Subtract:
            case TapeOp.Multiply:
            case TapeOp.Divide:
                Elementwise(n.Op, Value(n.Children[0], w), Value(n.Children[1], w), y);
                break;
            case TapeOp.Negate:
                TensorPrimitives.Negate(Value(n.Children[0], w), y);
                break;
            case TapeOp.Power:
            {
                ReadOnlySpan<double> a = Value(n.Children[0], w), b = Value(n.Children[1], w);
                for (int i = 0; i < y.Length; i++) y[i] = Math.Pow(a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i]);
                break;
            }
            case TapeOp.Function:
                Unary(n.Function!.Name, Value(n.Children[0], w), y);
                break;
            case TapeOp.MinMax:
            {
                ReadOnlySpan<double> a = Value(n.Children[0], w), b = Value(n.Children[1], w);
                for (int i = 0; i < y.Length; i++)
                {
                    double ai = a[a.Length == 1 ? 0 : i], bi = b[b.Length == 1 ? 0 : i];
                    y[i] = n.IsMax ? Math.Max(ai, bi) : Math.Min(ai, bi);
                }
                break;
            }
            case TapeOp.MatrixVector:
            {
                var matrix = n.Children[0];
                var v = Value(n.Children[1], w);
                y.Clear();
                for (int k = 0; k < matrix.Columns; k++)
                    TensorPrimitives.MultiplyAdd(matrix.Fixed.AsSpan(k * matrix.Rows, matrix.Rows), v[k], y, y);
                break;
            }
            case TapeOp.Sum:
                y[0] = TensorPrimitives.Sum(Value(n.Children[0], w));
                break;
            case TapeOp.Distribution:
                y[0] = n.Constant + n.Distribution!.Kind switch
                {
                    DistributionKind.Normal => Accumulate<NormalKernel>(n, w),
                    DistributionKind.StudentT => Accumulate<StudentTKernel>(n, w),
                    DistributionKind.Cauchy => Accumulate<CauchyKernel>(n, w),
                    DistributionKind.Exponential => Accumulate<ExponentialKernel>(n, w),
                    DistributionKind.Gamma => Accumulate<GammaKernel>(n, w),
                    DistributionKind.Beta => Accumulate<BetaKernel>(n, w),
                    DistributionKind.Lognormal => Accumulate<LognormalKernel>(n, w),
                    DistributionKind.BernoulliLogit => Accumulate<BernoulliLogitKernel>(n, w),
                    _ => Accumulate<PoissonLogKernel>(n, w),
                };
                break;
            default:
                throw new InvalidOperationException($"cannot evaluate {n.Op}");
        }
    }

    /// <summary>Σᵢ log p(yᵢ | argsᵢ) with broadcasting of scalars; live children's partials go to the workspace (summed for a scalar child).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Accumulate<TKernel>(TapeNode n, Workspace w) where TKernel : struct, IDistributionKernel
    {
        var children = n.Children;
        int length = n.Length;
        ReadOnlySpan<double> y = Value(children[0], w);
        ReadOnlySpan<double> a = children.Length > 1 ? Value(children[1], w) : Zero;
        ReadOnlySpan<double> b = children.Length > 2 ? Value(children[2], w) : Zero;
        ReadOnlySpan<double> c = children.Length > 3 ? Value(children[3], w) : Zero;
        var offsets = n.PartialOffsets;
        Span<double> py = Partial(w, offsets, children, 0), pa = Partial(w, offsets, children, 1), pb = Partial(w, offsets, children, 2), pc = Partial(w, offsets, children, 3);
        py.Clear(); pa.Clear(); pb.Clear(); pc.Clear();
        double sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += TKernel.Log(y[y.Length == 1 ? 0 : i], a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i], c[c.Length == 1 ? 0 : i],
                out double gy, out double ga, out double gb, out double gc);
            Store(py, i, gy);
            Store(pa, i, ga);
            Store(pb, i, gb);
            Store(pc, i, gc);
        }
        return sum;
    }

    private static readonly double[] Zero = [0.0];

    private static Span<double> Partial(Workspace w, int[] offsets, TapeNode[] children, int k) =>
        k < children.Length && offsets[k] >= 0 ? w.Partials.AsSpan(offsets[k], children[k].Size) : [];

    private static void Store(Span<double> partial, int i, double g)
    {
        if (partial.Length == 1) partial[0] += g;
        else if (partial.Length > 0) partial[i] = g;
    }

    private static void Elementwise(TapeOp op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> y)
    {
        if (a.Length == b.Length)
        {
            switch (op)
            {
                case TapeOp.Add: TensorPrimitives.Add(a, b, y); break;
                case TapeOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
                case TapeOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
                default: TensorPrimitives.Divide(a, b, y); break;
            }
        }
        else if (a.Length == 1)
        {
            double s = a[0];
            switch (op)
            {
                case TapeOp.Add: TensorPrimitives.Add(b, s, y); break;
                case TapeOp.Subtract: TensorPrimitives.Subtract(s, b, y); break;
                case TapeOp.Multiply: TensorPrimitives.Multiply(b, s, y); break;
                default: TensorPrimitives.Divide(s, b, y); break;
            }
        }
        else
        {
            double s = b[0];
            switch (op)
            {
                case TapeOp.Add: TensorPrimitives.Add(a, s, y); break;
                case TapeOp.Subtract: TensorPrimitives.Subtract(a, s, y); break;
                case TapeOp.Multiply: TensorPrimitives.Multiply(a, s, y); break;
                default: TensorPrimitives.Divide(a, s, y); break;
            }
        }
    }

    private static void Unary(string name, ReadOnlySpan<double> a, Span<double> y)
    {
        switch (name)
        {
            case "exp": TensorPrimitives.Exp(a, y); return;
            case "log": TensorPrimitives.Log(a, y); return;
            case "sqrt": TensorPrimitives.Sqrt(a, y); return;
            case "abs": TensorPrimitives.Abs(a, y); return;
        }
        Func<double, double> f = name switch
        {
            "sin" => Math.Sin, "cos" => Math.Cos, "tan" => Math.Tan, "sinh" => Math.Sinh, "cosh" => Math.Cosh, "tanh" => Math.Tanh,
            "asin" => Math.Asin, "acos" => Math.Acos, "atan" => Math.Atan,
            "sign" => x => x > 0 ? 1.0 : x < 0 ? -1.0 : x,
            _ => throw new InvalidOperationException($"no function {name}"),
        };
        for (int i = 0; i < y.Length; i++) y[i] = f(a[i]);
    }

    /// <summary>f'(a) for a unary function, given a and y = f(a).</summary>
    internal static double Derivative(string name, double a, double y) => name switch
    {
        "exp" => y,
        "log" => 1 / a,
        "sqrt" => 0.5 / y,
        "abs" => a > 0 ? 1 : a < 0 ? -1 : 0,
        "sin" => Math.Cos(a),
        "cos" => -Math.Sin(a),
        "tan" => 1 + y * y,
        "sinh" => Math.Cosh(a),
        "cosh" => Math.Sinh(a),
        "tanh" => 1 - y * y,
        "asin" => 1 / Math.Sqrt(1 - a * a),
        "acos" => -1 / Math.Sqrt(1 - a * a),
        "atan" => 1 / (1 + a * a),
        _ => 0, // sign
    };

    /// <summary>∂ max(mine, other)/∂mine (or of min): 1 where it is selected, 0 where not, ½ at a tie.</summary>
    internal static double MinMaxWeight(bool isMax, double mine, double other)
    {
        bool wins = isMax ? mine > other : mine < other;
        return mine == other ? 0.5 : wins ? 1 : 0;
    }

    /// <summary>Adds a contribution of the output's length to a child's adjoint, summing it when the child is a scalar.</summary>
    private static void AddTo(TapeNode child, Workspace w, ReadOnlySpan<double> contribution)
    {
        if (!child.Live) return;
        var adj = w.Adjoints.AsSpan(child.Offset, child.Size);
        if (adj.Length == contribution.Length) TensorPrimitives.Add(adj, contribution, adj);
        else adj[0] += TensorPrimitives.Sum(contribution);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward(TapeNode n, Workspace w)
    {
        ReadOnlySpan<double> g = w.Adjoints.AsSpan(n.Offset, n.Size);
        var scratch = w.Scratch.AsSpan(0, n.Size);
        switch (n.Op)
        {
            case TapeOp.Add:
                AddTo(n.Children[0], w, g);
                AddTo(n.Children[1], w, g);
                break;
            case TapeOp.Subtract:
                AddTo(n.Children[0], w, g);
                if (n.Children[1].Live)
                {
                    TensorPrimitives.Negate(g, scratch);
                    AddTo(n.Children[1], w, scratch);
                }
                break;
            case TapeOp.Multiply:
            {
                TapeNode left = n.Children[0], right = n.Children[1];
                if (left.Live)
                {
                    Elementwise(TapeOp.Multiply, g, Value(right, w), scratch);
                    AddTo(left, w, scratch);
                }
                if (right.Live)
                {
                    Elementwise(TapeOp.Multiply, g, Value(left, w), scratch);
                    AddTo(right, w, scratch);
                }
                break;
            }
            case TapeOp.Divide:
            {
                // y = a/b: ∂/∂a = 1/b, ∂/∂b = −y/b.
                TapeNode left = n.Children[0], right = n.Children[1];
                if (left.Live)
                {
                    Elementwise(TapeOp.Divide, g, Value(right, w), scratch);
                    AddTo(left, w, scratch);
                }
                if (right.Live)
                {
                    Elementwise(TapeOp.Divide, g, Value(right, w), scratch);
                    TensorPrimitives.Multiply(scratch, Value(n, w), scratch);
                    TensorPrimitives.Negate(scratch, scratch);
                    AddTo(right, w, scratch);
                }
                break;
            }
            case TapeOp.Negate:
                TensorPrimitives.Negate(g, scratch);
                AddTo(n.Children[0], w, scratch);
                break;
            case TapeOp.Power:
            {
                TapeNode left = n.Children[0], right = n.Children[1];
                ReadOnlySpan<double> a = Value(left, w), b = Value(right, w), y = Value(n, w);
                if (left.Live)
                {
                    for (int i = 0; i < scratch.Length; i++)
                    {
                        double ai = a[a.Length == 1 ? 0 : i], bi = b[b.Length == 1 ? 0 : i];
                        scratch[i] = g[i] * (bi == 0 ? 0 : bi * Math.Pow(ai, bi - 1));
                    }
                    AddTo(left, w, scratch);
                }
                if (right.Live)
                {
                    for (int i = 0; i < scratch.Length; i++) scratch[i] = g[i] * (y[i] == 0 ? 0 : y[i] * Math.Log(a[a.Length == 1 ? 0 : i]));
                    AddTo(right, w, scratch);
                }
                break;
            }
            case TapeOp.Function:
            {
                ReadOnlySpan<double> a = Value(n.Children[0], w), y = Value(n, w);
                string name = n.Function!.Name;
                for (int i = 0; i < scratch.Length; i++) scratch[i] = g[i] * Derivative(name, a[i], y[i]);
                AddTo(n.Children[0], w, scratch);
                break;
            }
            case TapeOp.MinMax:
            {
                // The derivative of the selected argument; at a tie, half to each.
                TapeNode left = n.Children[0], right = n.Children[1];
                ReadOnlySpan<double> a = Value(left, w), b = Value(right, w);
                for (int side = 0; side < 2; side++)
                {
                    var child = side == 0 ? left : right;
                    if (!child.Live) continue;
                    for (int i = 0; i < scratch.Length; i++)
                    {
                        double ai = a[a.Length == 1 ? 0 : i], bi = b[b.Length == 1 ? 0 : i];
                        scratch[i] = g[i] * (side == 0 ? MinMaxWeight(n.IsMax, ai, bi) : MinMaxWeight(n.IsMax, bi, ai));
                    }
                    AddTo(child, w, scratch);
                }
                break;
            }
            case TapeOp.MatrixVector:
            {
                var matrix = n.Children[0];
                var vector = n.Children[1];
                if (!vector.Live) break;
                var adj = w.Adjoints.AsSpan(vector.Offset, vector.Size);
                for (int k = 0; k < matrix.Columns; k++) adj[k] += TensorPrimitives.Dot(matrix.Fixed.AsSpan(k * matrix.Rows, matrix.Rows), g);
                break;
            }
            case TapeOp.Sum:
            {
                var child = n.Children[0];
                if (child.Live) TensorPrimitives.Add(w.Adjoints.AsSpan(child.Offset, child.Size), g[0], w.Adjoints.AsSpan(child.Offset, child.Size));
                break;
            }
            case TapeOp.Distribution:
            {
                double gOut = g[0];
                for (int k = 0; k < n.Children.Length; k++)
                {
                    var child = n.Children[k];
                    if (!child.Live) continue;
                    var partial = w.Partials.AsSpan(n.PartialOffsets[k], child.Size);
                    var adj = w.Adjoints.AsSpan(child.Offset, child.Size);
                    TensorPrimitives.MultiplyAdd(partial, gOut, adj, adj);
                }
                break;
            }
        }
    }
}
