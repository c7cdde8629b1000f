using System.Reflection;
using System.Runtime.Intrinsics;

namespace Drift.Models.Text;

/// <summary>A function of the model language: its name, arity and the scalar and per-register implementations.</summary>
internal sealed class TextFunction
{
    private TextFunction(string name, Type implementation, int arity)
    {
        Name = name;
        Arity = arity;
        Implementation = implementation;
        Scalar = implementation.GetMethod("Apply", BindingFlags.Public | BindingFlags.Static)!;
    }

    public string Name { get; }
    public int Arity { get; }
    public Type Implementation { get; }
    public MethodInfo Scalar { get; }

    /// <summary>The functions by name.</summary>
    public static readonly IReadOnlyDictionary<string, TextFunction> All = new[]
    {
        One<ExpFn>("exp"), One<LogFn>("log"), One<SqrtFn>("sqrt"), One<SinFn>("sin"), One<CosFn>("cos"), One<TanFn>("tan"),
        One<SinhFn>("sinh"), One<CoshFn>("cosh"), One<TanhFn>("tanh"), One<AsinFn>("asin"), One<AcosFn>("acos"), One<AtanFn>("atan"),
        One<AbsFn>("abs"), One<SignFn>("sign"), Two<MinFn>("min"), Two<MaxFn>("max"), Two<PowFn>("pow"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static TextFunction Pow => All["pow"];
    public static TextFunction Get(string name) => All[name];

    /// <summary>The per-register implementation for a lane type (Vector256 or Vector512 of double).</summary>
    public MethodInfo Lanes(Type laneType)
    {
        string name = (laneType == typeof(Vector512<double>) ? "Map512" : "Map256") + (Arity == 1 ? "" : "Pair");
        return typeof(LaneFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(Implementation);
    }

    private static TextFunction One<T>(string name) where T : struct, IScalarFunction => new(name, typeof(T), 1);
    private static TextFunction Two<T>(string name) where T : struct, IScalarFunction2 => new(name, typeof(T), 2);
}

/// <summary>f(x) on one double.</summary>
internal interface IScalarFunction { static abstract double Apply(double x); }

/// <summary>f(x, y) on two doubles.</summary>
internal interface IScalarFunction2 { static abstract double Apply(double x, double y); }

internal readonly struct ExpFn : IScalarFunction { public static double Apply(double x) => Math.Exp(x); }
internal readonly struct LogFn : IScalarFunction { public static double Apply(double x) => Math.Log(x); }
internal readonly struct SqrtFn : IScalarFunction { public static double Apply(double x) => Math.Sqrt(x); }
internal readonly struct SinFn : IScalarFunction { public static double Apply(double x) => Math.Sin(x); }
internal readonly struct CosFn : IScalarFunction { public static double Apply(double x) => Math.Cos(x); }
internal readonly struct TanFn : IScalarFunction { public static double Apply(double x) => Math.Tan(x); }
internal readonly struct SinhFn : IScalarFunction { public static double Apply(double x) => Math.Sinh(x); }
internal readonly struct CoshFn : IScalarFunction { public static double Apply(double x) => Math.Cosh(x); }
internal readonly struct TanhFn : IScalarFunction { public static double Apply(double x) => Math.Tanh(x); }
internal readonly struct AsinFn : IScalarFunction { public static double Apply(double x) => Math.Asin(x); }
internal readonly struct AcosFn : IScalarFunction { public static double Apply(double x) => Math.Acos(x); }
internal readonly struct AtanFn : IScalarFunction { public static double Apply(double x) => Math.Atan(x); }
internal readonly struct AbsFn : IScalarFunction { public static double Apply(double x) => Math.Abs(x); }
/// <summary>+1, −1, the signed zero itself, or NaN (never throws, unlike Math.Sign).</summary>
internal readonly struct SignFn : IScalarFunction { public static double Apply(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
internal readonly struct MinFn : IScalarFunction2 { public static double Apply(double x, double y) => Math.Min(x, y); }
internal readonly struct MaxFn : IScalarFunction2 { public static double Apply(double x, double y) => Math.Max(x, y); }
internal readonly struct PowFn : IScalarFunction2 { public static double Apply(double x, double y) => Math.Pow(x, y); }
