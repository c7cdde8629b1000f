using System.Numerics;
using System.Runtime.InteropServices;

namespace Drift.Generative.Numerics;

/// <summary>Small vectorised dense kernels: dot products and scaled sums over contiguous rows.</summary>
internal static class Dense
{
    /// <summary>Σ a_i·b_i.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var acc = Vector<double>.Zero;
            for (int k = 0; k < va.Length; k++) acc = Vector.FusedMultiplyAdd(va[k], vb[k], acc);
            sum = Vector.Sum(acc);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y_i = a·x_i + b·u_i for every i (y may alias x or u).</summary>
    public static void Combine(Span<double> y, double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> u)
    {
        int n = y.Length, i = 0;
        if (x.Length < n || u.Length < n) throw new ArgumentException("inputs shorter than the output.", nameof(y));
        if (Vector.IsHardwareAccelerated)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var vu = MemoryMarshal.Cast<double, Vector<double>>(u[..n]);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (int k = 0; k < vy.Length; k++) vy[k] = va * vx[k] + vb * vu[k];
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] = a * x[i] + b * u[i];
    }

    /// <summary>y_i = a·x_i + b·u_i + c·w_i for every i (y may alias an input).</summary>
    public static void Combine(Span<double> y, double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> u, double c, ReadOnlySpan<double> w)
    {
        int n = y.Length, i = 0;
        if (x.Length < n || u.Length < n || w.Length < n) throw new ArgumentException("inputs shorter than the output.", nameof(y));
        if (Vector.IsHardwareAccelerated)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var vu = MemoryMarshal.Cast<double, Vector<double>>(u[..n]);
            var vw = MemoryMarshal.Cast<double, Vector<double>>(w[..n]);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            var vc = new Vector<double>(c);
            for (int k = 0; k < vy.Length; k++) vy[k] = va * vx[k] + vb * vu[k] + vc * vw[k];
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] = a * x[i] + b * u[i] + c * w[i];
    }

    /// <summary>y_i += c·x_i.</summary>
    public static void AddScaled(Span<double> y, double c, ReadOnlySpan<double> x) => Combine(y, 1.0, y, c, x);
}
