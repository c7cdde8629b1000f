using System.Numerics;
using System.Runtime.InteropServices;

namespace Drift.Learning.Autodiff;

/// <summary>
/// First-order backward rules fused into one pass over memory. They run only when nothing is being
/// recorded (a plain backward pass); the differentiable forms in <see cref="Ops"/> compute the same
/// mathematics when a higher-order graph is wanted, and the tests hold the two to each other.
/// </summary>
internal static class Fused
{
    /// <summary>g·s·(1 + x(1 − s)) with s = σ(x): the SiLU derivative.</summary>
    public static Tensor<T> SiluBackward<T>(Tensor<T> g, Tensor<T> x, Tensor<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = TensorArena<T>.Allocate(x.Shape, clear: false);
        var G = g.Span; var X = x.Span; var S = s.Span; var D = d.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshal.Cast<T, Vector<T>>(G); var xv = MemoryMarshal.Cast<T, Vector<T>>(X);
            var sv = MemoryMarshal.Cast<T, Vector<T>>(S); var dv = MemoryMarshal.Cast<T, Vector<T>>(D);
            for (int k = 0; k < dv.Length; k++)
            {
                var sk = sv[k];
                dv[k] = gv[k] * sk * (Vector<T>.One + xv[k] * (Vector<T>.One - sk));
            }
            i = dv.Length * Vector<T>.Count;
        }
        for (; i < D.Length; i++) D[i] = G[i] * S[i] * (T.One + X[i] * (T.One - S[i]));
        return d;
    }

    /// <summary>g·(1 − y²) with y = tanh x.</summary>
    public static Tensor<T> TanhBackward<T>(Tensor<T> g, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = TensorArena<T>.Allocate(y.Shape, clear: false);
        var G = g.Span; var Y = y.Span; var D = d.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshal.Cast<T, Vector<T>>(G); var yv = MemoryMarshal.Cast<T, Vector<T>>(Y);
            var dv = MemoryMarshal.Cast<T, Vector<T>>(D);
            for (int k = 0; k < dv.Length; k++) dv[k] = gv[k] * (Vector<T>.One - yv[k] * yv[k]);
            i = dv.Length * Vector<T>.Count;
        }
        for (; i < D.Length; i++) D[i] = G[i] * (T.One - Y[i] * Y[i]);
        return d;
    }

    /// <summary>g·(Φ(x) + x·φ(x)): the exact GELU derivative, evaluated in double.</summary>
    public static Tensor<T> GeluBackward<T>(Tensor<T> g, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = TensorArena<T>.Allocate(x.Shape, clear: false);
        var G = g.Span; var X = x.Span; var D = d.Span;
        double c = 1 / Math.Sqrt(2 * Math.PI);
        for (int i = 0; i < D.Length; i++)
        {
            double v = double.CreateChecked(X[i]);
            double cdf = 0.5 * (1 + Ops.ErfOf(v / Math.Sqrt(2)));
            D[i] = G[i] * T.CreateChecked(cdf + v * c * Math.Exp(-0.5 * v * v));
        }
        return d;
    }
}
