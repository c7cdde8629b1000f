using Drift.Numerics;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// The O(m) row kernels of the entropic solvers, built on the core floor: <see cref="LaneMath{TL,TU,TD}.Exp"/>
/// through <see cref="Elementwise"/> for the Gibbs terms and <see cref="Dense.Dot"/> for their weighted sum. Both are
/// bit-identical at every vector width, so a Sinkhorn run gives the same bits with AVX-512, AVX2, 128-bit vectors or
/// none.
/// </summary>
internal static class GibbsRow
{
    /// <summary>eⱼ ← exp((φ + gⱼ − cⱼ)·κ) for every j (arguments below −690 give 0, see <see cref="LaneMath{TL,TU,TD}.Exp"/>); returns Σⱼ wⱼ eⱼ in <see cref="Dense.Dot"/>'s order.</summary>
    public static double ExpRow(double phi, ReadOnlySpan<double> g, ReadOnlySpan<double> c, double kappa,
        ReadOnlySpan<double> w, Span<double> e)
    {
        Elementwise.Map(new GibbsTerm(phi, kappa), g, c, e);
        return Dense.Dot(e, w);
    }

    /// <summary>The scalar form of the exponential used by <see cref="ExpRow"/> (the same bits).</summary>
    public static double Exp(double t) => LaneMath<Lanes1, ulong, double>.Exp(t);

    /// <summary>
    /// Exact −ε·log Σⱼ wⱼ exp((gⱼ − cⱼ)/ε) over wⱼ &gt; 0, shifted by the maximum exponent (the stable fallback).
    /// Scalar and sequential, so independent of the vector width; the final logarithm is <see cref="Math.Log(double)"/>.
    /// </summary>
    public static double SoftMin(ReadOnlySpan<double> g, ReadOnlySpan<double> c, ReadOnlySpan<double> logW, double eps)
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < c.Length; j++)
        {
            double t = logW[j] + (g[j] - c[j]) / eps;
            if (t > max) max = t;
        }
        if (double.IsNegativeInfinity(max) || double.IsNaN(max)) return double.NaN;
        double s = 0;
        for (int j = 0; j < c.Length; j++) s += Exp(logW[j] + (g[j] - c[j]) / eps - max);
        return -eps * (max + Math.Log(s));
    }

    /// <summary>exp((φ + g − c)·κ) per lane.</summary>
    private readonly struct GibbsTerm(double phi, double kappa) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD g, TD c) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => LaneMath<TL, TU, TD>.Exp(TL.Multiply(TL.Subtract(TL.Add(TL.Broadcast(phi), g), c), TL.Broadcast(kappa)));
    }
}
