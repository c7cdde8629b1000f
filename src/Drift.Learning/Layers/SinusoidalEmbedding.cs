using System.Numerics;

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// The transformer/DDPM time embedding: for t of shape [n], the [n, dim] matrix
/// [cos(t·f₀) … cos(t·f_{h−1}), sin(t·f₀) … sin(t·f_{h−1})] with h = dim/2 and
/// f_k = exp(−ln(maxPeriod)·k/h). Differentiable in t. No parameters.
/// </summary>
public sealed class SinusoidalEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Tensor<T> frequencies;

    /// <summary>Creates an embedding of even dimension <paramref name="dimension"/>.</summary>
    public SinusoidalEmbedding(int dimension, double maxPeriod = 10000)
    {
        if (dimension <= 0 || dimension % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be positive and even.");
        if (!(maxPeriod > 1)) throw new ArgumentOutOfRangeException(nameof(maxPeriod), maxPeriod, "maxPeriod must exceed 1.");
        Dimension = dimension;
        int half = dimension / 2;
        var f = new T[half];
        for (int k = 0; k < half; k++) f[k] = T.CreateChecked(Math.Exp(-Math.Log(maxPeriod) * k / half));
        frequencies = Tensor<T>.Wrap(f, 1, half);
    }

    /// <summary>The embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>The embedding of times t (shape [n]).</summary>
    public Tensor<T> Forward(Tensor<T> t)
    {
        if (t.Rank != 1) throw new ArgumentException($"Times must have shape [n], not {ShapeRules.Format(t.Shape)}.", nameof(t));
        if (GradMode.IsEnabled && t.RequiresGrad)
        {
            var angles = Ops.Multiply(Ops.Reshape(t, [t.Length, 1]), frequencies);
            return Ops.Concat([Ops.Cos(angles), Ops.Sin(angles)], 1);
        }
        // No gradient flows to t (training: times are data): one pass writing each row's cosines and sines in place of
        // the multiply, two transcendental ops and the concatenation. Each row's h angles go through the vectorised SinCos
        // in the same lanes whatever the batch, so a row's values do not depend on the batch it is in (bit-identical for any sharding).
        var y = TensorArena<T>.Allocate([t.Length, Dimension], clear: false);
        Fill(t.Span, y.Span, Dimension, 0);
        return y;
    }

    /// <summary>
    /// Writes the embedding of each time t[r] into <c>destination[r·stride + offset …]</c>: cos(t·f_k) then sin(t·f_k),
    /// with the angle t·f_k rounded in T exactly as the differentiable path computes it.
    /// </summary>
    internal void Fill(ReadOnlySpan<T> t, Span<T> destination, int stride, int offset)
    {
        int half = Dimension / 2;
        var f = frequencies.Span;
        for (int r = 0; r < t.Length; r++)
        {
            var row = destination.Slice(r * stride + offset, Dimension);
            int k = 0;
            // Vector256.SinCos (the vectorised libm port) in blocks of 8 floats / 4 doubles, the scalar T.SinCos on the tail.
            if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
            {
                var ff = MemoryMarshal.Cast<T, float>(f); var rf = MemoryMarshal.Cast<T, float>(row);
                var tv = Vector256.Create(float.CreateTruncating(t[r]));
                for (; k <= half - 8; k += 8)
                {
                    var (sin, cos) = Vector256.SinCos(tv * Vector256.Create(ff.Slice(k, 8)));
                    cos.CopyTo(rf.Slice(k, 8));
                    sin.CopyTo(rf.Slice(half + k, 8));
                }
            }
            else if (typeof(T) == typeof(double) && Vector256.IsHardwareAccelerated)
            {
                var fd = MemoryMarshal.Cast<T, double>(f); var rd = MemoryMarshal.Cast<T, double>(row);
                var tv = Vector256.Create(double.CreateTruncating(t[r]));
                for (; k <= half - 4; k += 4)
                {
                    var (sin, cos) = Vector256.SinCos(tv * Vector256.Create(fd.Slice(k, 4)));
                    cos.CopyTo(rd.Slice(k, 4));
                    sin.CopyTo(rd.Slice(half + k, 4));
                }
            }
            for (; k < half; k++)
            {
                var (sin, cos) = T.SinCos(t[r] * f[k]);
                row[k] = cos;
                row[half + k] = sin;
            }
        }
    }
}
