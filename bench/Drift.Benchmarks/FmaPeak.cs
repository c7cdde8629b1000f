using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Drift.Benchmarks;

/// <summary>
/// The single-core fused multiply-add peak of this machine: ten independent FMA chains (more than latency ×
/// throughput, 4 × 2 on current x64 cores, so the FMA ports never wait), no memory traffic. Each FMA on a
/// register of w floats counts 2·w flops, so GFLOP/s = 2·w·(FMAs per second) / 10⁹.
/// </summary>
public static class FmaPeak
{
    /// <summary>Independent chains per loop iteration.</summary>
    public const int Chains = 10;

    /// <summary>Float lanes of the widest FMA register the GEMM uses here (16 with AVX-512, 8 with AVX2+FMA, 0 without).</summary>
    public static int Width => Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 16 : Fma.IsSupported ? 8 : 0;

    /// <summary>Flops done by <see cref="Run"/> for <paramref name="iterations"/> loop iterations.</summary>
    public static double Flops(long iterations) => 2.0 * Width * Chains * iterations;

    /// <summary>Runs <paramref name="iterations"/> × <see cref="Chains"/> FMAs of the widest register; returns a value to keep.</summary>
    public static float Run(long iterations) => Width switch
    {
        16 => Chains512(iterations),
        8 => Chains256(iterations),
        _ => 0f,
    };

    /// <summary>
    /// Best-of peak in GFLOP/s over <paramref name="seconds"/> of 2-ms samples; best-of, because other work on a
    /// shared core only ever makes a sample slower.
    /// </summary>
    public static double Measure(double seconds = 1.0)
    {
        if (Width == 0) return double.NaN;
        const long iterations = 200_000;
        double best = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            Run(iterations);
            best = Math.Max(best, Flops(iterations) / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9);
        }
        return best;
    }

    // Kept in their own methods, with nothing live across a call, so that all ten accumulators stay in registers.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        var a0 = Vector256.Create(1f);
        Vector256<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y); a1 = Fma.MultiplyAdd(a1, x, y); a2 = Fma.MultiplyAdd(a2, x, y);
            a3 = Fma.MultiplyAdd(a3, x, y); a4 = Fma.MultiplyAdd(a4, x, y); a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y); a7 = Fma.MultiplyAdd(a7, x, y); a8 = Fma.MultiplyAdd(a8, x, y);
            a9 = Fma.MultiplyAdd(a9, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        var a0 = Vector512.Create(1f);
        Vector512<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, x, y); a1 = Avx512F.FusedMultiplyAdd(a1, x, y); a2 = Avx512F.FusedMultiplyAdd(a2, x, y);
            a3 = Avx512F.FusedMultiplyAdd(a3, x, y); a4 = Avx512F.FusedMultiplyAdd(a4, x, y); a5 = Avx512F.FusedMultiplyAdd(a5, x, y);
            a6 = Avx512F.FusedMultiplyAdd(a6, x, y); a7 = Avx512F.FusedMultiplyAdd(a7, x, y); a8 = Avx512F.FusedMultiplyAdd(a8, x, y);
            a9 = Avx512F.FusedMultiplyAdd(a9, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }
}
