using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Learning.Autodiff;

/// <summary>
/// σ(x) = 1/(1 + e⁻ˣ) and SiLU x·σ(x) for float spans, vectorised with a Cephes-style e^t: t = n·ln 2 + r
/// with |r| ≤ ½ln 2 (ln 2 split in two parts so r is exact), e^r by its degree-7 Taylor–Cephes polynomial,
/// 2ⁿ by exponent arithmetic; t is clamped to [−87.3, 88.7] (σ then saturates correctly to 0 or 1).
/// Relative error of σ below 4 ulp (tested against double precision); NaN propagates. The generic
/// <c>TensorPrimitives.Sigmoid</c> evaluates float through double and is about ten times slower.
/// The vector and scalar paths perform the same float operations, so every length gives the same bits
/// for a given element.
/// </summary>
internal static class FastSigmoid
{
    const float Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    const float Lo = -87.3f, Hi = 88.7f;

    /// <summary>s = σ(x); when <paramref name="silu"/> is not empty it also receives x·σ(x).</summary>
    public static void Run(ReadOnlySpan<float> x, Span<float> s, Span<float> silu)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float sr = ref MemoryMarshal.GetReference(s);
            for (; i <= x.Length - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var sig = Sigmoid(v);
                sig.StoreUnsafe(ref sr, (nuint)i);
                if (!silu.IsEmpty) (v * sig).StoreUnsafe(ref MemoryMarshal.GetReference(silu), (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            float sig = Sigmoid(x[i]);
            s[i] = sig;
            if (!silu.IsEmpty) silu[i] = x[i] * sig;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var t = Vector256.Min(Vector256.Max(-x, Vector256.Create(Lo)), Vector256.Create(Hi));
        var n = Vector256.Floor(t * Vector256.Create(Log2E) + Vector256.Create(0.5f));
        var r = t - n * Vector256.Create(Ln2Hi) - n * Vector256.Create(Ln2Lo);
        var p = Vector256.Create(P0);
        p = p * r + Vector256.Create(P1);
        p = p * r + Vector256.Create(P2);
        p = p * r + Vector256.Create(P3);
        p = p * r + Vector256.Create(P4);
        p = p * r + Vector256.Create(P5);
        var er = p * (r * r) + r + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        var e = er * scale.AsSingle();
        var sig = Vector256<float>.One / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), sig, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Sigmoid(float x)
    {
        if (float.IsNaN(x)) return x;
        float t = Math.Min(Math.Max(-x, Lo), Hi);
        float n = MathF.Floor(t * Log2E + 0.5f);
        float r = t - n * Ln2Hi - n * Ln2Lo;
        float p = P0;
        p = p * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        float er = p * (r * r) + r + 1f;
        float e = er * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        return 1f / (1f + e);
    }
}
