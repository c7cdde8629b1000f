using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

/// <summary>Lorenz-63, σ = 10, ρ = 28, β = 8/3, written path by path (tests only).</summary>
internal readonly struct Lorenz63 : IDrift
{
    public int Dimension => 3;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            double a = x[p], b = x[paths + p], c = x[2 * paths + p];
            dx[p] = 10.0 * (b - a);
            dx[paths + p] = a * (28.0 - c) - b;
            dx[2 * paths + p] = a * b - 8.0 / 3.0 * c;
        }
    }
}

/// <summary>dx/dt = 1 until t = 0.5, then NaN: a right-hand side that breaks at a known time.</summary>
internal readonly struct BreaksAtHalf : IDrift
{
    public int Dimension => 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = t > 0.5 ? double.NaN : 1.0;
    }
}

/// <summary>The stiff scalar problem y' = −1000 (y − cos t): h|λ| = 1000 h.</summary>
internal readonly struct StiffRelaxation : IDrift
{
    public int Dimension => 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = -1000.0 * (x[p] - Math.Cos(t));
    }
}

internal static class Methods
{
    public static readonly string[] Names = ["bs3", "tsit5", "dopri5", "dop853"];

    public static TheoryData<string> All => new(Names);

    /// <summary>Dispatches a method name once into the one entry point, <see cref="DiffEq.Solve{TDrift, TMethod}"/> (as the CLI would).</summary>
    public static Solution Solve<TDrift>(string name, OdeProblem<TDrift> problem, SolveOptions options)
        where TDrift : struct, IDrift => name switch
        {
            "bs3" => DiffEq.Solve(problem, new BogackiShampine3(), options),
            "tsit5" => DiffEq.Solve(problem, new Tsitouras5(), options),
            "dopri5" => DiffEq.Solve(problem, new DormandPrince5(), options),
            "dop853" => DiffEq.Solve(problem, new DormandPrince853(), options),
            _ => throw new ArgumentException(name, nameof(name)),
        };

    /// <summary>Dispatches a method name into the adaptive loop underneath, <see cref="AdaptiveOde"/>, for tests of the loop's own result (where a failed solve stopped, its state there).</summary>
    public static OdeSolution Solve<TDrift>(string name, OdeProblem<TDrift> problem, AdaptiveOptions options)
        where TDrift : struct, IDrift => name switch
        {
            "bs3" => AdaptiveOde.Solve(problem, new BogackiShampine3(), options),
            "tsit5" => AdaptiveOde.Solve(problem, new Tsitouras5(), options),
            "dopri5" => AdaptiveOde.Solve(problem, new DormandPrince5(), options),
            "dop853" => AdaptiveOde.Solve(problem, new DormandPrince853(), options),
            _ => throw new ArgumentException(name, nameof(name)),
        };

    public static IEmbeddedMethod Method(string name) => name switch
    {
        "bs3" => new BogackiShampine3(),
        "tsit5" => new Tsitouras5(),
        "dopri5" => new DormandPrince5(),
        "dop853" => new DormandPrince853(),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    public static AdaptiveOptions Tolerance(double tol) => new() { Controller = new PidController { RelativeTolerance = tol, AbsoluteTolerance = tol } };

    /// <summary>Options of the one entry point with rtol = atol = <paramref name="tol"/> (one path, the final time).</summary>
    public static SolveOptions ToleranceOptions(double tol) => new() { Controller = Tolerance(tol).Controller };

    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}

/// <summary>The Riccati equation x' = 1 + x², solved by x = tan t from x(0) = 0.</summary>
internal readonly struct Riccati : IDrift
{
    public int Dimension => 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = 1.0 + x[p] * x[p];
    }
}

/// <summary>The time-varying linear equation x' = cos(t)·x, solved by x = exp(sin t) from x(0) = 1.</summary>
internal readonly struct CosineGrowth : IDrift
{
    public int Dimension => 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        double c = Math.Cos(t);
        for (int p = 0; p < paths; p++) dx[p] = c * x[p];
    }
}
