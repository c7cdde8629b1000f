using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Models.Text;

namespace Drift.Jumps.Networks;

/// <summary>
/// The compiled propensities of a network and its dependency graph (Gibson &amp; Bruck 2000): mass-action
/// propensities are evaluated natively in the operation order of their expression, explicit ones by a scalar kernel
/// compiled once by the model language's compiler. Immutable and thread-safe.
/// <para>
/// The hot path: every reaction carries a kind fixed at construction — order 0 (aⱼ = cⱼ), order 1 (cⱼxₐ), two
/// distinct reactants (cⱼxₐx_b), a dimerisation 2A (cⱼxₐ(xₐ − 1)/2), any other mass-action law, or an explicit
/// propensity — and <see cref="Evaluate(int, double[])"/> switches on it instead of walking the reactant table. The
/// specialised kinds perform the general walk's operations in the same order, so they give the same bits. The
/// dependency graph and the state changes are also stored flat (CSR) for loops without jagged-array loads.
/// </para>
/// </summary>
internal sealed class PropensityTable
{
    private const byte Order0 = 0, Order1 = 1, Pair = 2, Dimer = 3, GeneralMassAction = 4, Explicit = 5;
    private readonly double[] _constant;
    private readonly byte[] _kind;
    private readonly int[] _first, _second;
    private readonly int[] _reactantStart, _reactantSpecies, _reactantCount;
    private readonly double[] _factorial;
    private readonly BatchKernel?[] _kernels;
    private readonly int[] _lines;
    private readonly Node[] _nodes;
    private readonly int[] _lowFirst, _lowSecond;

    public PropensityTable(ReactionNetwork network)
    {
        int m = network.ReactionCount, d = network.SpeciesCount;
        Reactions = m;
        Species = d;
        _constant = new double[m];
        _factorial = new double[m];
        _kernels = new BatchKernel?[m];
        _lines = new int[m];
        _nodes = network.PropensityNodes;
        _reactantStart = new int[m + 1];
        var species = new List<int>();
        var counts = new List<int>();
        ChangeStart = new int[m + 1];
        var changeSpecies = new List<int>();
        var changeDelta = new List<int>();
        var reads = new List<int>[m];
        for (int j = 0; j < m; j++)
        {
            var reaction = network.Reactions[j];
            _lines[j] = reaction.Line;
            _reactantStart[j] = species.Count;
            foreach (var r in reaction.Reactants)
            {
                species.Add(r.Species);
                counts.Add(r.Count);
            }
            if (reaction.IsMassAction)
            {
                _constant[j] = reaction.RateConstant;
                reads[j] = [.. reaction.Reactants.Select(r => r.Species)];
            }
            else
            {
                var node = network.PropensityNodes[j];
                _kernels[j] = KernelCompiler.Compile([node], lane: null);
                var used = new SortedSet<int>();
                CollectStates(node, used);
                reads[j] = [.. used];
            }
            ChangeStart[j] = changeSpecies.Count;
            for (int i = 0; i < d; i++)
                if (network.NetChange(j, i) != 0)
                {
                    changeSpecies.Add(i);
                    changeDelta.Add(network.NetChange(j, i));
                }
        }
        _reactantStart[m] = species.Count;
        ChangeStart[m] = changeSpecies.Count;
        _reactantSpecies = [.. species];
        _reactantCount = [.. counts];
        for (int j = 0; j < m; j++)
        {
            double f = 1;
            for (int k = _reactantStart[j]; k < _reactantStart[j + 1]; k++)
                for (int q = 2; q <= _reactantCount[k]; q++) f *= q;
            _factorial[j] = f;
        }
        ChangeSpecies = [.. changeSpecies];
        ChangeDelta = [.. changeDelta];
        ChangeValue = [.. changeDelta.Select(v => (double)v)];
        Dependents = new int[m][];
        for (int j = 0; j < m; j++)
        {
            var changed = new HashSet<int>(ChangeSpecies[ChangeStart[j]..ChangeStart[j + 1]]);
            Dependents[j] = [.. Enumerable.Range(0, m).Where(k => reads[k].Any(changed.Contains))];
        }
        DependentStart = new int[m + 1];
        for (int j = 0; j < m; j++) DependentStart[j + 1] = DependentStart[j] + Dependents[j].Length;
        DependentList = [.. Dependents.SelectMany(row => row)];
        Reads = reads.Select(r => r.ToArray()).ToArray();
        TimeDependent = [.. Enumerable.Range(0, m).Where(j => network.Reactions[j].DependsOnTime)];
        _kind = new byte[m];
        _first = new int[m];
        _second = new int[m];
        for (int j = 0; j < m; j++)
        {
            int n = _reactantStart[j + 1] - _reactantStart[j], k = _reactantStart[j];
            _kind[j] = _kernels[j] is not null ? Explicit
                : n == 0 ? Order0
                : n == 1 && _reactantCount[k] == 1 ? Order1
                : n == 1 && _reactantCount[k] == 2 ? Dimer
                : n == 2 && _reactantCount[k] == 1 && _reactantCount[k + 1] == 1 ? Pair
                : GeneralMassAction;
            if (n >= 1) _first[j] = _reactantSpecies[k];
            if (n >= 2) _second[j] = _reactantSpecies[k + 1];
        }
        IsLowOrder = _kind.All(k => k is Order0 or Order1 or Pair);
        _lowFirst = new int[m];
        _lowSecond = new int[m];
        for (int j = 0; j < m; j++)
        {
            _lowFirst[j] = _kind[j] is Order1 or Pair ? _first[j] : d;
            _lowSecond[j] = _kind[j] is Pair ? _second[j] : d;
        }
    }

    /// <summary>
    /// aⱼ = cⱼ·x[f]·x[s] of a low-order network (<see cref="IsLowOrder"/>) without a branch: an order-1 reaction reads
    /// its second factor, an order-0 one both, from x[d], which must hold 1 (so x has d + 1 entries). Multiplying by 1
    /// is exact, so the bits equal <see cref="Evaluate(int, double[])"/>'s; counts are never negative, so no clamp is needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double EvaluateLowOrder(int j, ref double x)
    {
        double c = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_constant), j);
        return c * Unsafe.Add(ref x, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lowFirst), j))
                 * Unsafe.Add(ref x, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lowSecond), j));
    }

    public int Reactions { get; }
    public int Species { get; }

    /// <summary>The rate constants cⱼ and the factor indices of <see cref="EvaluateLowOrder"/> (x[d] for a missing factor), for loops that hoist them.</summary>
    public double[] Constants => _constant;
    public int[] LowFirst => _lowFirst;
    public int[] LowSecond => _lowSecond;

    /// <summary>
    /// Whether every reaction is mass action of order 0, 1 or two distinct reactants, so that
    /// <see cref="EvaluateLowOrder"/> applies: aⱼ = cⱼ·x[f]·x[s] with the missing factors read from a slot holding 1.
    /// </summary>
    public bool IsLowOrder { get; private set; }

    /// <summary>Species whose count reaction j changes: ChangeSpecies[ChangeStart[j] .. ChangeStart[j+1]) by ChangeDelta.</summary>
    public int[] ChangeStart { get; }
    public int[] ChangeSpecies { get; }
    public int[] ChangeDelta { get; }

    /// <summary>State change of reaction j as doubles, aligned with <see cref="ChangeSpecies"/>.</summary>
    public double[] ChangeValue { get; }

    /// <summary>Reactions whose propensity reads a species that reaction j changes (j itself included when it does).</summary>
    public int[][] Dependents { get; }

    /// <summary><see cref="Dependents"/> flat: row j is DependentList[DependentStart[j] .. DependentStart[j+1]).</summary>
    public int[] DependentStart { get; }
    public int[] DependentList { get; }

    /// <summary>Species read by each propensity.</summary>
    public int[][] Reads { get; }

    /// <summary>The reactions whose propensity reads the time t (explicit propensities only), in increasing order.</summary>
    public int[] TimeDependent { get; }

    /// <summary>The line of the model text that declared reaction j.</summary>
    public int Line(int j) => _lines[j];

    /// <summary>An upper bound of aⱼ(x, s) over s ∈ [t0, t1] at counts x (<see cref="PropensityBound"/>): never negative, +∞ when none was found.</summary>
    public double UpperBound(int j, double[] x, double t0, double t1) => Math.Max(0, PropensityBound.Upper(_nodes[j], x, t0, t1));

    /// <summary>Whether reaction j is mass action.</summary>
    public bool IsMassAction(int j) => _kernels[j] is null;

    /// <summary>Reactant species of a mass-action reaction and their coefficients.</summary>
    public ReadOnlySpan<int> ReactantSpecies(int j) => _reactantSpecies.AsSpan(_reactantStart[j], _reactantStart[j + 1] - _reactantStart[j]);
    public ReadOnlySpan<int> ReactantCounts(int j) => _reactantCount.AsSpan(_reactantStart[j], _reactantStart[j + 1] - _reactantStart[j]);

    /// <summary>aⱼ(x); throws when an explicit propensity is negative, NaN or infinite. x must hold <see cref="Species"/> counts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Evaluate(int j, double[] x)
    {
        // indices were validated at construction and x has Species entries: no bounds checks on the hot path
        ref double counts = ref MemoryMarshal.GetArrayDataReference(x);
        double a;
        switch (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_kind), j))
        {
            case Order0:
                a = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_constant), j);
                break;
            case Order1:
                a = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_constant), j)
                    * Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_first), j));
                break;
            case Pair:
                a = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_constant), j)
                    * Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_first), j))
                    * Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_second), j));
                break;
            case Dimer:
                double v = Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_first), j));
                a = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_constant), j) * v * (v - 1) / 2;
                break;
            default:
                return EvaluateGeneral(j, x);
        }
        return a < 0 ? 0 : a; // x < r gives a zero factor, possibly signed
    }

    /// <summary>
    /// aⱼ(x, t) of a time-dependent explicit propensity (the compiled kernel at time t); throws when it is negative,
    /// NaN or infinite. <see cref="Evaluate(int, double[])"/> reads such a propensity at t = 0.
    /// </summary>
    public double EvaluateAt(int j, double[] x, double t)
    {
        var kernel = _kernels[j];
        if (kernel is null) return Evaluate(j, x);
        double a = 0;
        kernel(t, ref x[0], ref a, 1);
        if (!(a >= 0) || double.IsPositiveInfinity(a)) throw BadPropensity(j, a, x, t);
        return a;
    }

    /// <summary>aⱼ(x) by the general reactant walk (any mass-action law) or the compiled explicit kernel.</summary>
    private double EvaluateGeneral(int j, double[] x)
    {
        double a;
        var kernel = _kernels[j];
        if (kernel is null)
        {
            a = _constant[j];
            for (int k = _reactantStart[j]; k < _reactantStart[j + 1]; k++)
            {
                double v = x[_reactantSpecies[k]];
                int r = _reactantCount[k];
                a *= v;
                for (int q = 1; q < r; q++) a *= v - q;
            }
            if (_factorial[j] != 1) a /= _factorial[j];
            return a < 0 ? 0 : a;
        }
        a = 0;
        kernel(0, ref x[0], ref a, 1);
        if (!(a >= 0) || double.IsPositiveInfinity(a)) throw BadPropensity(j, a, x);
        return a;
    }

    public InvalidOperationException BadPropensity(int j, double a, double[] x, double? t = null) =>
        new($"the propensity of the reaction on line {_lines[j]} is {a.ToString("R", CultureInfo.InvariantCulture)} at counts ({string.Join(", ", x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}){(t is { } time ? $" and t = {time.ToString("R", CultureInfo.InvariantCulture)}" : "")}; propensities must be finite and non-negative.");

    /// <summary>Applies reaction j <paramref name="times"/> times to x.</summary>
    public void Fire(int j, double[] x, double times = 1)
    {
        for (int k = ChangeStart[j]; k < ChangeStart[j + 1]; k++) x[ChangeSpecies[k]] += ChangeDelta[k] * times;
    }

    /// <summary>Fires reaction j once; throws when a count would become negative (an explicit propensity that is positive without its reactants).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FireChecked(int j, double[] x)
    {
        ref double counts = ref MemoryMarshal.GetArrayDataReference(x);
        ref int species = ref MemoryMarshal.GetArrayDataReference(ChangeSpecies);
        ref double change = ref MemoryMarshal.GetArrayDataReference(ChangeValue);
        int end = ChangeStart[j + 1];
        bool negative = false;
        for (int k = ChangeStart[j]; k < end; k++)
        {
            ref double c = ref Unsafe.Add(ref counts, Unsafe.Add(ref species, k));
            c += Unsafe.Add(ref change, k);
            negative |= c < 0;
        }
        if (negative) ThrowNegative(j, x);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNegative(int j, double[] x)
    {
        for (int k = ChangeStart[j]; k < ChangeStart[j + 1]; k++) x[ChangeSpecies[k]] -= ChangeDelta[k];
        throw new InvalidOperationException($"the reaction on line {_lines[j]} fired with its propensity {Evaluate(j, x).ToString("R", CultureInfo.InvariantCulture)} > 0 but would make a count negative at counts ({string.Join(", ", x.Select(c => c.ToString("R", CultureInfo.InvariantCulture)))}); an explicit propensity must be 0 when its reactants are missing.");
    }

    private static void CollectStates(Node n, SortedSet<int> into)
    {
        switch (n)
        {
            case StateNode s: into.Add(s.Index); break;
            case NegateNode u: CollectStates(u.Operand, into); break;
            case BinaryNode b: CollectStates(b.Left, into); CollectStates(b.Right, into); break;
            case CallNode c: foreach (var a in c.Arguments) CollectStates(a, into); break;
        }
    }

    /// <summary>Reference interpreter of a bound propensity expression (numbers, counts, the time t, + − × ÷ ^ and functions).</summary>
    public static double Evaluate(Node n, ReadOnlySpan<double> x, double t = 0) => n switch
    {
        NumberNode k => k.Value,
        StateNode s => x[s.Index],
        TimeNode => t,
        NegateNode u => -Evaluate(u.Operand, x, t),
        BinaryNode b => Algebra.Apply(b.Op, Evaluate(b.Left, x, t), Evaluate(b.Right, x, t)),
        CallNode c => c.Function.Arity == 1
            ? (double)c.Function.Scalar.Invoke(null, [Evaluate(c.Arguments[0], x, t)])!
            : (double)c.Function.Scalar.Invoke(null, [Evaluate(c.Arguments[0], x, t), Evaluate(c.Arguments[1], x, t)])!,
        _ => throw new InvalidOperationException($"unbound {n.GetType().Name} in a propensity"),
    };
}
