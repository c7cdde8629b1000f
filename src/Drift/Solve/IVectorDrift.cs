using System.Runtime.Intrinsics;

namespace Drift.Solve;

/// <summary>
/// A right-hand side f(t, x) of small fixed dimension d ≤ 4 that also takes and returns one path's state in a 256-bit
/// register: lane i of the vector is component i (i &lt; d). Adaptive ODE solves with <see cref="Adaptive.DormandPrince5"/>
/// then keep every stage in registers instead of passing it through memory as the span contract of
/// <see cref="IDrift.Evaluate"/> must (issue 15: on Lorenz-63 the memory round trip of each stage was the largest
/// single cost left against compiled C++).
/// </summary>
/// <remarks>
/// Both forms must compute the same f. Write f once here and implement the span form with
/// <see cref="VectorDrift.EvaluateRows{TDrift}"/>, which calls
/// this method path by path; solves then give the same bits whichever form a solver calls (the DP5 register path performs
/// the span path's operations in the same order, lane by lane). Lanes ≥ d of <c>x</c> hold no state (zero when the
/// solver starts, otherwise whatever this method left there) and must not influence lanes &lt; d of the result; lanes ≥ d
/// of the result are ignored. Use <see cref="Vector256.Create(double, double, double, double)"/> to build the result and
/// <c>x.GetElement(i)</c> or <c>x[i]</c> to read components.
/// </remarks>
/// <example>
/// <code>
/// readonly struct Lorenz : IVectorDrift
/// {
///     public int Dimension => 3;
///     public Vector256&lt;double&gt; Evaluate(double t, Vector256&lt;double&gt; v)
///     {
///         double x = v[0], y = v[1], z = v[2];
///         return Vector256.Create(10.0 * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z, 0.0);
///     }
///     public void Evaluate(double t, ReadOnlySpan&lt;double&gt; x, Span&lt;double&gt; dx, int paths) =&gt; VectorDrift.EvaluateRows(this, t, x, dx, paths);
/// }
/// </code>
/// </example>
public interface IVectorDrift : IDrift
{
    /// <summary>f(t, x) for one path whose d components are lanes 0 … d − 1 of <paramref name="x"/>.</summary>
    /// <param name="t">Time.</param>
    /// <param name="x">The state in lanes 0 … d − 1.</param>
    /// <returns>f(t, x) in lanes 0 … d − 1 (other lanes are ignored).</returns>
    Vector256<double> Evaluate(double t, Vector256<double> x);
}
