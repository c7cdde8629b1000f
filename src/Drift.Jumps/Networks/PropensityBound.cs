using Drift.Models.Text;

namespace Drift.Jumps.Networks;

/// <summary>
/// Bounds of a time-dependent propensity a(x, s) over a time window s ∈ [t₀, t₁] at fixed counts x, by interval
/// arithmetic on its expression tree (Moore 1966): each node's range is enclosed by an interval computed from its
/// operands' intervals — sums and products from endpoint combinations, quotients likewise unless the divisor's
/// interval holds 0, monotone functions (exp log sqrt sinh tanh asin atan sign, acos reversed) at the endpoints,
/// cosh and abs with their minimum at 0, sin and cos with ±1 wherever a crest or trough lies in the interval, tan
/// unless a pole does, min/max/pow (positive base) at the corners. Every computed endpoint is moved outward by two
/// ulps, so the enclosure also covers the rounding of the compiled kernel (within an ulp per operation). An
/// enclosure that is unbounded or undefined (a divisor interval holding 0, a pole, a logarithm or root of
/// negatives) reads (−∞, +∞); the caller then shrinks the window. The bound is never below the true supremum; it may
/// overshoot (the dependency problem: sin(t)·sin(t) reads [−1, 1]), which costs only efficiency in thinning.
/// </summary>
internal static class PropensityBound
{
    private static readonly (double Lo, double Hi) Everything = (double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>Whether the expression reads the time t.</summary>
    public static bool DependsOnTime(Node n) => n switch
    {
        TimeNode => true,
        NegateNode u => DependsOnTime(u.Operand),
        BinaryNode b => DependsOnTime(b.Left) || DependsOnTime(b.Right),
        CallNode c => c.Arguments.Any(DependsOnTime),
        _ => false,
    };

    /// <summary>An upper bound of n(x, s) over s ∈ [<paramref name="t0"/>, <paramref name="t1"/>]; +∞ when no finite bound was found.</summary>
    public static double Upper(Node n, ReadOnlySpan<double> x, double t0, double t1)
    {
        double hi = Range(n, x, t0, t1).Hi;
        return double.IsNaN(hi) ? double.PositiveInfinity : hi;
    }

    /// <summary>An interval enclosing n(x, s) for every s ∈ [t0, t1].</summary>
    public static (double Lo, double Hi) Range(Node n, ReadOnlySpan<double> x, double t0, double t1)
    {
        var r = n switch
        {
            NumberNode k => (k.Value, k.Value),
            StateNode s => (x[s.Index], x[s.Index]),
            TimeNode => (t0, t1),
            NegateNode u => Negate(Range(u.Operand, x, t0, t1)),
            BinaryNode b => Binary(b.Op, Range(b.Left, x, t0, t1), Range(b.Right, x, t0, t1)),
            CallNode c when c.Arguments.Length == 1 => Widen(Unary(c.Function.Name, Range(c.Arguments[0], x, t0, t1))),
            CallNode c => Widen(Two(c.Function.Name, Range(c.Arguments[0], x, t0, t1), Range(c.Arguments[1], x, t0, t1))),
            _ => throw new InvalidOperationException($"unbound {n.GetType().Name} in a propensity"),
        };
        return double.IsNaN(r.Item1) || double.IsNaN(r.Item2) ? Everything : r;
    }

    private static (double Lo, double Hi) Negate((double Lo, double Hi) a) => (-a.Hi, -a.Lo);

    private static (double Lo, double Hi) Widen((double Lo, double Hi) a) =>
        a.Lo == a.Hi && a.Lo == 0 ? a : (Math.BitDecrement(Math.BitDecrement(a.Lo)), Math.BitIncrement(Math.BitIncrement(a.Hi)));

    private static (double Lo, double Hi) Binary(char op, (double Lo, double Hi) a, (double Lo, double Hi) b)
    {
        switch (op)
        {
            case '+': return Widen((a.Lo + b.Lo, a.Hi + b.Hi));
            case '-': return Widen((a.Lo - b.Hi, a.Hi - b.Lo));
            case '*': return Widen(Corners(a, b, Times));
            case '/':
                if (b.Lo <= 0 && b.Hi >= 0) return Everything;
                return Widen(Corners(a, b, (p, q) => p / q));
            default: return Widen(Power(a, b));
        }
    }

    /// <summary>Products with 0·∞ = 0 (the interval convention: an exact zero factor).</summary>
    private static double Times(double p, double q) => p == 0 || q == 0 ? 0 : p * q;

    private static (double Lo, double Hi) Corners((double Lo, double Hi) a, (double Lo, double Hi) b, Func<double, double, double> f)
    {
        double p = f(a.Lo, b.Lo), q = f(a.Lo, b.Hi), r = f(a.Hi, b.Lo), s = f(a.Hi, b.Hi);
        return (Math.Min(Math.Min(p, q), Math.Min(r, s)), Math.Max(Math.Max(p, q), Math.Max(r, s)));
    }

    /// <summary>a^b: for a positive base pow is monotone in each argument, so its range lies at the corners; a point integer exponent by repeated products; else unbounded.</summary>
    private static (double Lo, double Hi) Power((double Lo, double Hi) a, (double Lo, double Hi) b)
    {
        if (a.Lo > 0 || (a.Lo >= 0 && b.Lo > 0)) return Corners(a, b, Algebra.PowerOf);
        if (b.Lo == b.Hi && Algebra.IsSmallInteger(b.Lo) && b.Lo >= 0)
        {
            (double Lo, double Hi) r = (1, 1);
            for (int i = 0; i < (int)b.Lo; i++) r = Corners(r, a, Times);
            return r;
        }
        return Everything;
    }

    private static (double Lo, double Hi) Unary(string f, (double Lo, double Hi) a)
    {
        switch (f)
        {
            case "exp": return (Math.Exp(a.Lo), Math.Exp(a.Hi));
            case "log": return a.Lo < 0 ? Everything : (Math.Log(a.Lo), Math.Log(a.Hi));
            case "sqrt": return a.Lo < 0 ? Everything : (Math.Sqrt(a.Lo), Math.Sqrt(a.Hi));
            case "sinh": return (Math.Sinh(a.Lo), Math.Sinh(a.Hi));
            case "tanh": return (Math.Tanh(a.Lo), Math.Tanh(a.Hi));
            case "atan": return (Math.Atan(a.Lo), Math.Atan(a.Hi));
            case "asin": return a.Lo < -1 || a.Hi > 1 ? Everything : (Math.Asin(a.Lo), Math.Asin(a.Hi));
            case "acos": return a.Lo < -1 || a.Hi > 1 ? Everything : (Math.Acos(a.Hi), Math.Acos(a.Lo));
            case "sign": return (Math.Sign(a.Lo), Math.Sign(a.Hi));
            case "cosh":
                return a.Lo <= 0 && a.Hi >= 0 ? (1, Math.Max(Math.Cosh(a.Lo), Math.Cosh(a.Hi)))
                    : (Math.Min(Math.Cosh(a.Lo), Math.Cosh(a.Hi)), Math.Max(Math.Cosh(a.Lo), Math.Cosh(a.Hi)));
            case "abs":
                return a.Lo >= 0 ? a : a.Hi <= 0 ? (-a.Hi, -a.Lo) : (0, Math.Max(-a.Lo, a.Hi));
            case "sin": return Periodic(a, Math.Sin, Math.PI / 2);
            case "cos": return Periodic(a, Math.Cos, 0);
            case "tan":
                if (double.IsInfinity(a.Lo) || double.IsInfinity(a.Hi) || a.Hi - a.Lo >= Math.PI) return Everything;
                // a pole π/2 + kπ in [lo, hi]: tan jumps from +∞ to −∞
                double pole = Math.PI / 2 + Math.Ceiling((a.Lo - Math.PI / 2) / Math.PI) * Math.PI;
                return pole <= a.Hi + 1e-9 * Math.Max(1, Math.Abs(a.Hi)) ? Everything : (Math.Tan(a.Lo), Math.Tan(a.Hi));
            default: return Everything;
        }
    }

    /// <summary>sin or cos on [lo, hi]: 1 if a crest (crest + 2πk) lies inside, −1 if a trough (crest + π + 2πk) does, else the endpoint values.</summary>
    private static (double Lo, double Hi) Periodic((double Lo, double Hi) a, Func<double, double> f, double crest)
    {
        if (double.IsInfinity(a.Lo) || double.IsInfinity(a.Hi) || a.Hi - a.Lo >= 2 * Math.PI) return (-1, 1);
        double lo = Math.Min(f(a.Lo), f(a.Hi)), hi = Math.Max(f(a.Lo), f(a.Hi));
        // tolerances make the test err towards including a crest or trough (a looser but still valid bound)
        double slack = 1e-9 * Math.Max(1, Math.Max(Math.Abs(a.Lo), Math.Abs(a.Hi)));
        if (Inside(a, crest, slack)) hi = 1;
        if (Inside(a, crest + Math.PI, slack)) lo = -1;
        return (lo, hi);
    }

    private static bool Inside((double Lo, double Hi) a, double phase, double slack)
    {
        double k = Math.Ceiling((a.Lo - slack - phase) / (2 * Math.PI));
        return phase + k * 2 * Math.PI <= a.Hi + slack;
    }

    private static (double Lo, double Hi) Two(string f, (double Lo, double Hi) a, (double Lo, double Hi) b) => f switch
    {
        "min" => (Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi)),
        "max" => (Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi)),
        "pow" => Power(a, b),
        _ => Everything,
    };
}
