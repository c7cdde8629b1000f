using System.Numerics;
using System.Runtime.CompilerServices;

namespace Drift.Numerics;

/// <summary>
/// GEMM as a plain triple loop on unpacked storage, for products too small to repay packing. It performs the
/// packed kernels' arithmetic exactly (per K block of <see cref="GemmBlocking.KC"/>: a fused multiply-add chain
/// from zero, then c ← fma(β', c, α·acc), or α·acc when β' = 0), so its results have the same bits.
/// </summary>
internal static class GemmDirect<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>C = α·op(A)·op(B) + β·C for m, n, k ≥ 1 on validated, non-overlapping row-major storage.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ref T a, nint lda, ref T b, nint ldb, T beta, ref T c, nint ldc)
    {
        // Element (i, p) of op(A) is a[i·ai + p·ap]; element (p, j) of op(B) is b[p·bp + j·bj].
        nint ai = transposeA ? 1 : lda, ap = transposeA ? lda : 1;
        nint bp = transposeB ? 1 : ldb, bj = transposeB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            ref T rowA = ref Unsafe.Add(ref a, i * ai);
            ref T rowC = ref Unsafe.Add(ref c, i * ldc);
            int j = 0;
            // Four columns at a time: four independent chains keep the FMA unit busy instead of waiting on one.
            for (; j <= n - 4; j += 4)
            {
                ref T b0 = ref Unsafe.Add(ref b, j * bj);
                ref T b1 = ref Unsafe.Add(ref b0, bj);
                ref T b2 = ref Unsafe.Add(ref b1, bj);
                ref T b3 = ref Unsafe.Add(ref b2, bj);
                T betaBlock = beta;
                for (int pc = 0, end; pc < k; pc = end)
                {
                    end = pc + Math.Min(GemmBlocking.KC, k - pc);
                    T acc0 = T.Zero, acc1 = T.Zero, acc2 = T.Zero, acc3 = T.Zero;
                    for (int p = pc; p < end; p++)
                    {
                        T x = Unsafe.Add(ref rowA, p * ap);
                        nint o = p * bp;
                        acc0 = T.FusedMultiplyAdd(x, Unsafe.Add(ref b0, o), acc0);
                        acc1 = T.FusedMultiplyAdd(x, Unsafe.Add(ref b1, o), acc1);
                        acc2 = T.FusedMultiplyAdd(x, Unsafe.Add(ref b2, o), acc2);
                        acc3 = T.FusedMultiplyAdd(x, Unsafe.Add(ref b3, o), acc3);
                    }
                    Fold(ref Unsafe.Add(ref rowC, j), alpha, betaBlock, acc0);
                    Fold(ref Unsafe.Add(ref rowC, j + 1), alpha, betaBlock, acc1);
                    Fold(ref Unsafe.Add(ref rowC, j + 2), alpha, betaBlock, acc2);
                    Fold(ref Unsafe.Add(ref rowC, j + 3), alpha, betaBlock, acc3);
                    betaBlock = T.One;
                }
            }
            for (; j < n; j++)
            {
                ref T columnB = ref Unsafe.Add(ref b, j * bj);
                T betaBlock = beta;
                for (int pc = 0, end; pc < k; pc = end)
                {
                    end = pc + Math.Min(GemmBlocking.KC, k - pc);
                    T acc = T.Zero;
                    for (int p = pc; p < end; p++)
                        acc = T.FusedMultiplyAdd(Unsafe.Add(ref rowA, p * ap), Unsafe.Add(ref columnB, p * bp), acc);
                    Fold(ref Unsafe.Add(ref rowC, j), alpha, betaBlock, acc);
                    betaBlock = T.One;
                }
            }
        }
    }

    /// <summary>c ← fma(β', c, α·acc), or α·acc without reading c when β' = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(ref T c, T alpha, T betaBlock, T acc) =>
        c = betaBlock == T.Zero ? alpha * acc : T.FusedMultiplyAdd(betaBlock, c, alpha * acc);
}
