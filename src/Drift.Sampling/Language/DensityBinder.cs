using System.Globalization;
using Drift.Models.Text;
using Drift.Random;

namespace Drift.Sampling.Language;

/// <summary>
/// Turns parsed density statements and data into a <see cref="DensityProgram"/>: checks each data declaration
/// against the data (presence, kind, shape, integer values, bounds), lays the parameters out in the sampling vector,
/// and compiles every expression into the vector DAG with shape checks (scalars broadcast; vectors must agree in
/// length; a matrix may only multiply a vector on its left). Subexpressions that depend on no parameter are computed
/// here, once. Every error is a <see cref="ModelParseException"/> at the line and column of its cause.
/// </summary>
internal sealed class DensityBinder
{
    private static readonly HashSet<string> Reserved = ["data", "param", "target", "pi", "sum", "int", "real", "vector", "matrix"];

    private readonly DensityData? _data;
    private readonly Dictionary<string, TapeNode> _dataNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DataStatement> _dataDeclarations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deferred = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TapeNode> _parameterNodes = new(StringComparer.Ordinal);
    private readonly List<BoundParameter> _parameters = [];
    private readonly List<TapeNode> _tape = [];
    private readonly List<TapeNode> _terms = [];
    private int _dimension;

    private DensityBinder(DensityData? data) => _data = data;

    /// <summary>
    /// Checks what can be checked without data: declarations (reserved or repeated names, kinds), names used before
    /// or without declaration, functions and distributions with their argument counts.
    /// </summary>
    public static void Check(List<Statement> statements)
    {
        var declared = new Dictionary<string, Token>(StringComparer.Ordinal);
        bool any = false;
        foreach (var s in statements)
        {
            switch (s)
            {
                case DataStatement d:
                    Declare(declared, d.Name);
                    KindOf(d);
                    foreach (var size in d.Sizes) Names(size, declared);
                    if (d.Lower is { } dl) Names(dl, declared);
                    if (d.Upper is { } du) Names(du, declared);
                    break;
                case DensityParameterStatement p:
                    if (p.Size is { } ps) Names(ps, declared);
                    if (p.Lower is { } pl) Names(pl, declared);
                    if (p.Upper is { } pu) Names(pu, declared);
                    Declare(declared, p.Name);
                    break;
                case SamplingStatement t:
                    any = true;
                    Names(t.Variate, declared);
                    foreach (var a in t.Arguments) Names(a, declared);
                    DistributionOf(t);
                    break;
                case TargetStatement t:
                    any = true;
                    Names(t.Value, declared);
                    break;
            }
        }
        if (!any)
        {
            var at = statements.Count > 0 ? statements[^1].Name : new Token(TokenKind.End, "", 0, 1, 1);
            throw new ModelParseException("the model has no '~' or 'target +=' statement, so no density", at.Line, at.Column);
        }
        if (!statements.Any(s => s is DensityParameterStatement))
            throw new ModelParseException("the model declares no parameter: add 'param NAME'", statements[0].Name.Line, statements[0].Name.Column);
    }

    private static void Declare(Dictionary<string, Token> declared, Token name)
    {
        if (Reserved.Contains(name.Text) || TextFunction.All.ContainsKey(name.Text))
            throw Error(name, $"'{name.Text}' is a reserved name (keywords, pi and function names)");
        if (declared.TryGetValue(name.Text, out var first)) throw Error(name, $"'{name.Text}' is already declared on line {first.Line}");
        declared[name.Text] = name;
    }

    private static void Names(Node node, Dictionary<string, Token> declared)
    {
        switch (node)
        {
            case NameNode n when n.Name != "pi" && !declared.ContainsKey(n.Name):
                string known = ModelParseException.List([.. declared.Keys]);
                throw n.Error($"unknown name '{n.Name}'{(known.Length > 0 ? $" (declared above: {known})" : "")}; declare it with 'data {n.Name}: KIND' or 'param {n.Name}' before its use");
            case NegateNode u: Names(u.Operand, declared); break;
            case BinaryNode b: Names(b.Left, declared); Names(b.Right, declared); break;
            case CallNode c: foreach (var a in c.Arguments) Names(a, declared); break;
            case SumNode s: Names(s.Operand, declared); break;
        }
    }

    private static DistributionInfo DistributionOf(SamplingStatement t)
    {
        if (!DistributionInfo.All.TryGetValue(t.Name.Text, out var info))
            throw Error(t.Name, $"unsupported distribution '{t.Name.Text}'; supported: {string.Join(", ", DistributionInfo.All.Keys)}");
        if (t.Arguments.Length != info.Arity)
            throw Error(t.Name, $"{info.Name} takes {info.Arity} argument{(info.Arity == 1 ? "" : "s")} ({info.Arguments}), got {t.Arguments.Length}");
        return info;
    }

    private enum DataKind { Int, Real, Vector, IntArray, Matrix }

    private static DataKind KindOf(DataStatement d)
    {
        var (kind, sizes) = (d.Kind.Text, d.Sizes.Length);
        DataKind? k = (kind, sizes) switch
        {
            ("int", 0) => DataKind.Int,
            ("int", 1) => DataKind.IntArray,
            ("real", 0) => DataKind.Real,
            ("vector", 1) => DataKind.Vector,
            ("matrix", 2) => DataKind.Matrix,
            _ => null,
        };
        if (k is { } known) return known;
        string expected = kind switch
        {
            "vector" => "vector[N] (one size)",
            "matrix" => "matrix[N, K] (two sizes)",
            "real" => "real (no size; a vector of reals is vector[N])",
            "int" => "int or int[N]",
            _ => null!,
        };
        throw Error(d.Kind, expected is null
            ? $"unknown data kind '{kind}'; use int, real, vector[N], int[N] or matrix[N, K]"
            : $"'{kind}' with {sizes} size{(sizes == 1 ? "" : "s")}; write {expected}");
    }

    /// <summary>Binds checked statements to data.</summary>
    /// <param name="statements">The parsed statements.</param>
    /// <param name="data">The data they are bound to.</param>
    /// <param name="compileLimit">The largest program compiled to straight-line code (<see cref="DensityCompiler.Cost"/>; 0 interprets).</param>
    public static DensityProgram Bind(List<Statement> statements, DensityData data, long compileLimit = DensityCompiler.DefaultLimit)
    {
        Check(statements);
        var binder = new DensityBinder(data);
        foreach (var s in statements)
        {
            switch (s)
            {
                case DataStatement d: binder.BindData(d); break;
                case DensityParameterStatement p: binder.BindParameter(p); break;
                case SamplingStatement t: binder.BindSampling(t); break;
                case TargetStatement t: binder.BindTarget(t); break;
            }
        }
        foreach (var name in binder._deferred)
            throw Error(binder._dataDeclarations[name].Name, $"data '{name}' is not in {data.Source}, and no CSV column it sizes gives it");
        return new DensityProgram(binder._tape, binder._terms, binder._parameters, compileLimit);
    }

    // ---------------------------------------------------------------- declarations

    private void BindData(DataStatement d)
    {
        var kind = KindOf(d);
        string name = d.Name.Text;
        _dataDeclarations[name] = d;
        if (!_data!.TryGet(name, out var value))
        {
            if (kind == DataKind.Int && _data.Rows is not null)
            {
                _deferred.Add(name);
                return;
            }
            string present = ModelParseException.List([.. _data.Names]);
            throw Error(d.Name, $"data '{name}' is not in {_data.Source}{(present.Length > 0 ? $" (it has {present})" : " (it is empty)")}");
        }
        string declared = Describe(d);
        string given = value.Shape.Length switch
        {
            0 => "a scalar",
            1 => $"a vector of length {value.Shape[0]}",
            _ => $"a {value.Shape[0]}×{value.Shape[1]} matrix",
        };
        int rank = kind switch { DataKind.Int or DataKind.Real => 0, DataKind.Matrix => 2, _ => 1 };
        if (value.Shape.Length != rank) throw Error(d.Name, $"data '{name}' is declared {declared} but {_data.Source} gives {given}");
        for (int k = 0; k < d.Sizes.Length; k++)
        {
            int expected = Size(d.Sizes[k], value.Shape[k]);
            if (expected != value.Shape[k])
                throw Error(d.Name, $"data '{name}' is declared {declared} = {DescribeSizes(d)} but {_data.Source} gives {given}");
        }
        if (kind is DataKind.Int or DataKind.IntArray && !value.Integer)
        {
            int bad = Array.FindIndex(value.Values, v => v != Math.Floor(v));
            throw Error(d.Name, $"data '{name}' is declared {declared} but {Element(name, value, bad)} = {F(value.Values[bad])} is not an integer");
        }
        double lower = d.Lower is null ? double.NegativeInfinity : Constant(d.Lower, "a bound");
        double upper = d.Upper is null ? double.PositiveInfinity : Constant(d.Upper, "a bound");
        for (int i = 0; i < value.Values.Length; i++)
        {
            double v = value.Values[i];
            if (!(v > lower) || !(v < upper))
                throw Error(d.Name, $"data '{name}' must be{(d.Lower is null ? "" : $" > {F(lower)}")}{(d.Upper is null ? "" : $" < {F(upper)}")}, but {Element(name, value, i)} = {F(v)}");
        }
        if (kind == DataKind.Int) _ints[name] = (int)Math.Clamp(value.Values[0], int.MinValue, int.MaxValue);
        TapeNode node;
        if (kind == DataKind.Matrix)
        {
            int rows = value.Shape[0], columns = value.Shape[1];
            var columnMajor = new double[rows * columns];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) columnMajor[c * rows + r] = value.Values[r * columns + c];
            node = new TapeNode { Op = TapeOp.Constant, Size = rows * columns, Rows = rows, Columns = columns, IsMatrix = true, Fixed = columnMajor, Source = new NameNode(name, d.Name.Line, d.Name.Column) };
        }
        else node = new TapeNode { Op = TapeOp.Constant, Size = value.Values.Length, Fixed = value.Values, Source = new NameNode(name, d.Name.Line, d.Name.Column) };
        _dataNodes[name] = node;
    }

    private static string Element(string name, DataValue value, int i) => value.Shape.Length switch
    {
        0 => name,
        1 => $"{name}[{i + 1}]",
        _ => $"{name}[{i / value.Shape[1] + 1}, {i % value.Shape[1] + 1}]",
    };

    private static string Describe(DataStatement d) => d.Sizes.Length == 0 ? d.Kind.Text : $"{d.Kind.Text}[{string.Join(", ", d.Sizes.Select(s => s.ToString()))}]";

    private string DescribeSizes(DataStatement d) => $"{d.Kind.Text}[{string.Join(", ", d.Sizes.Select(s => Size(s, -1).ToString(CultureInfo.InvariantCulture)))}]";

    /// <summary>A size: a non-negative integer constant expression of numbers and int data; a deferred int takes <paramref name="actual"/>.</summary>
    private int Size(Node node, int actual)
    {
        if (node is NameNode n && _deferred.Contains(n.Name) && actual >= 0)
        {
            _deferred.Remove(n.Name);
            _ints[n.Name] = actual;
            _dataNodes[n.Name] = new TapeNode { Op = TapeOp.Constant, Size = 1, Fixed = [actual], Source = n };
            return actual;
        }
        double v = Constant(node, "a size");
        if (v < 0 || v != Math.Floor(v) || v > int.MaxValue) throw node.Error($"a size must be a non-negative integer, got {F(v)}");
        return (int)v;
    }

    /// <summary>The value of a constant expression of numbers, pi and scalar data.</summary>
    private double Constant(Node node, string what)
    {
        var bound = Expression(node);
        if (bound.Live) throw node.Error($"{what} must not depend on a parameter");
        if (bound.Size != 1 || bound.IsMatrix) throw node.Error($"{what} must be a scalar");
        double v = bound.Fixed![0];
        return double.IsFinite(v) ? v : throw node.Error($"{what} evaluates to {F(v)}; it must be finite");
    }

    private void BindParameter(DensityParameterStatement p)
    {
        int size = p.Size is null ? 1 : Size(p.Size, -1);
        if (p.Size is not null && size < 1) throw p.Size.Error($"parameter '{p.Name.Text}' needs at least one element, got size {size}");
        double lower = p.Lower is null ? double.NegativeInfinity : Constant(p.Lower, "a bound");
        double upper = p.Upper is null ? double.PositiveInfinity : Constant(p.Upper, "a bound");
        if (!(lower < upper)) throw Error(p.Name, $"parameter '{p.Name.Text}' has lower bound {F(lower)} not below its upper bound {F(upper)}");
        var node = new TapeNode { Op = TapeOp.Parameter, Size = size, Live = true, Parameter = _parameters.Count, Source = new NameNode(p.Name.Text, p.Name.Line, p.Name.Column) };
        _tape.Add(node);
        _parameters.Add(new BoundParameter(p.Name.Text, _dimension, size, p.Size is not null, new ParameterTransform(lower, upper), node));
        _parameterNodes[p.Name.Text] = node;
        _dimension += size;
    }

    // ---------------------------------------------------------------- statements

    private void BindSampling(SamplingStatement t)
    {
        var info = DistributionOf(t);
        var variate = Expression(t.Variate);
        var arguments = t.Arguments.Select(Expression).ToArray();
        TapeNode[] children = [variate, .. arguments];
        for (int k = 0; k < children.Length; k++)
            if (children[k].IsMatrix)
                throw (k == 0 ? t.Variate : t.Arguments[k - 1]).Error($"shape mismatch: {info.Name} takes scalars or vectors, not a matrix");
        int length = children.Max(c => c.Size);
        for (int k = 0; k < children.Length; k++)
            if (children[k].Size != 1 && children[k].Size != length)
            {
                var at = k == 0 ? t.Variate : t.Arguments[k - 1];
                int other = children.First(c => c.Size == length).Size;
                throw at.Error($"shape mismatch: a vector of length {children[k].Size} in a {info.Name} statement whose other vectors have length {other}");
            }
        double constant = 0;
        if (info.Discrete)
        {
            if (variate.Live) throw t.Variate.Error($"the variate of {info.Name} must be integer data, not an expression of parameters");
            if (t.Variate is not NameNode v || !_dataDeclarations.TryGetValue(v.Name, out var declaration) || declaration.Kind.Text != "int")
                throw t.Variate.Error($"wrong data kind: the variate of {info.Name} must be declared 'int' or 'int[N]'");
        }
        if (!variate.Live)
        {
            var y = variate.Fixed!;
            for (int i = 0; i < y.Length; i++)
                if (!info.InSupport(y[i]))
                    throw t.Variate.Error($"{t.Variate}{(y.Length > 1 ? $"[{i + 1}]" : "")} = {F(y[i])} is outside the support of {info.Name} ({info.Support})");
            if (info.Name == "poisson_log")
            {
                foreach (double yi in y) constant -= Variates.LogGamma(yi + 1);
                if (y.Length == 1) constant *= length;
            }
        }
        var node = new TapeNode { Op = TapeOp.Distribution, Size = 1, Length = length, Children = children, Distribution = info, Constant = constant, Live = children.Any(c => c.Live), Source = new NameNode(info.Name, t.Name.Line, t.Name.Column) };
        _terms.Add(Add(node));
    }

    private void BindTarget(TargetStatement t)
    {
        var value = Expression(t.Value);
        if (value.IsMatrix) throw t.Value.Error("shape mismatch: 'target +=' takes a scalar or a vector (summed), not a matrix");
        if (value.Size != 1) value = Add(new TapeNode { Op = TapeOp.Sum, Size = 1, Children = [value], Live = value.Live, Source = t.Value });
        _terms.Add(value);
    }

    // ---------------------------------------------------------------- expressions

    /// <summary>Adds a node to the tape; a node that depends on no parameter is computed now and becomes a constant.</summary>
    private TapeNode Add(TapeNode node)
    {
        if (!node.Live && node.Fixed is null) node.Fixed = DensityProgram.Fold(node);
        _tape.Add(node);
        return node;
    }

    private static TapeNode Number(double value, Node at) => new() { Op = TapeOp.Constant, Size = 1, Fixed = [value], Source = at };

    private TapeNode Expression(Node node)
    {
        switch (node)
        {
            case NumberNode k:
                return Number(k.Value, k);
            case NameNode n:
                if (_parameterNodes.TryGetValue(n.Name, out var p)) return p;
                if (_dataNodes.TryGetValue(n.Name, out var d)) return d;
                if (n.Name == "pi") return Number(Math.PI, n);
                if (_deferred.Contains(n.Name)) throw n.Error($"data '{n.Name}' is not in {_data?.Source}; it can be taken from the CSV file only where it sizes a column");
                throw n.Error($"unknown name '{n.Name}'");
            case NegateNode u:
            {
                var a = Expression(u.Operand);
                NoMatrix(a, u.Operand, "-");
                return Add(new TapeNode { Op = TapeOp.Negate, Size = a.Size, Children = [a], Live = a.Live, Source = u });
            }
            case BinaryNode b:
                return Binary(b);
            case CallNode c:
            {
                var args = c.Arguments.Select(Expression).ToArray();
                for (int k = 0; k < args.Length; k++) NoMatrix(args[k], c.Arguments[k], c.Function.Name);
                int size = Broadcast(args, c.Arguments, c.Function.Name);
                bool live = args.Any(a => a.Live);
                return c.Function.Name switch
                {
                    "pow" => Add(new TapeNode { Op = TapeOp.Power, Size = size, Children = args, Live = live, Source = c }),
                    "min" or "max" => Add(new TapeNode { Op = TapeOp.MinMax, IsMax = c.Function.Name == "max", Size = size, Children = args, Live = live, Source = c }),
                    _ => Add(new TapeNode { Op = TapeOp.Function, Function = c.Function, Size = size, Children = args, Live = live, Source = c }),
                };
            }
            case SumNode s:
            {
                var a = Expression(s.Operand);
                NoMatrix(a, s.Operand, "sum");
                return Add(new TapeNode { Op = TapeOp.Sum, Size = 1, Children = [a], Live = a.Live, Source = s });
            }
            default:
                throw node.Error($"'{node}' cannot appear in a density model");
        }
    }

    private TapeNode Binary(BinaryNode b)
    {
        TapeNode left = Expression(b.Left), right = Expression(b.Right);
        bool live = left.Live || right.Live;
        if (b.Op == '*' && left.IsMatrix)
        {
            if (right.IsMatrix) throw b.Error($"shape mismatch: a matrix times a matrix is not supported (only matrix * vector)");
            if (right.Size != left.Columns)
                throw b.Error($"shape mismatch: a {left.Rows}×{left.Columns} matrix times {(right.Size == 1 ? "a scalar" : $"a vector of length {right.Size}")}; matrix * vector needs a vector of length {left.Columns}");
            return Add(new TapeNode { Op = TapeOp.MatrixVector, Size = left.Rows, Children = [left, right], Live = live, Source = b });
        }
        string symbol = b.Op.ToString();
        NoMatrix(left, b.Left, symbol);
        NoMatrix(right, b.Right, symbol);
        int size = Broadcast([left, right], [b.Left, b.Right], $"'{symbol}'", b);
        var op = b.Op switch
        {
            '+' => TapeOp.Add,
            '-' => TapeOp.Subtract,
            '*' => TapeOp.Multiply,
            '/' => TapeOp.Divide,
            _ => TapeOp.Power,
        };
        return Add(new TapeNode { Op = op, Size = size, Children = [left, right], Live = live, Source = b });
    }

    private static void NoMatrix(TapeNode n, Node at, string what)
    {
        if (n.IsMatrix) throw at.Error($"shape mismatch: a matrix can only multiply a vector from the left (matrix * vector), not appear in {what}");
    }

    /// <summary>The common length of element-wise operands: scalars broadcast, vectors must agree.</summary>
    private static int Broadcast(TapeNode[] operands, Node[] at, string what, Node? where = null)
    {
        int size = operands.Max(o => o.Size);
        for (int k = 0; k < operands.Length; k++)
            if (operands[k].Size != 1 && operands[k].Size != size)
                throw (where ?? at[k]).Error($"shape mismatch: vectors of lengths {string.Join(" and ", operands.Select(o => o.Size))} in {what}");
        return size;
    }

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private static ModelParseException Error(Token at, string reason) => new(reason, at.Line, at.Column);
}
