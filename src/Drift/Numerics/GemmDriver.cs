using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Drift.Numerics;

/// <summary>
/// Cache-blocking sizes shared by every kernel of one element type. The depth block <see cref="KC"/> is the
/// only one that changes arithmetic (each K block is summed into its own accumulator before it is added to C),
/// so it is the same for AVX-512, AVX2 and scalar: that is what makes their results bit-identical.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Rows of a register tile (the micro-kernel's MR), the same for every kernel.</summary>
    public const int MR = 6;

    /// <summary>Depth of one K block: a KC×NR panel of packed B stays in L1 while the MR-row panels of A stream past it.</summary>
    public const int KC = 256;

    /// <summary>Rows of A packed at once (a multiple of <see cref="MR"/>): an MC×KC block of A lives in L2.</summary>
    public static int MC<T>() where T : unmanaged => Unsafe.SizeOf<T>() == 4 ? 192 : 96;

    /// <summary>Columns of B packed at once (a multiple of every NR): a KC×NC block of B lives in L3.</summary>
    public const int NC = 1024;
}

/// <summary>Per-thread packing buffers, 64-byte aligned, grown on demand and then reused: no allocation per call.</summary>
internal static class GemmBuffers<T>
    where T : unmanaged
{
    [ThreadStatic] private static T[]? t_a;
    [ThreadStatic] private static T[]? t_b;

    /// <summary>At least <paramref name="length"/> elements for packed A, aligned to 64 bytes.</summary>
    public static ref T A(int length) => ref Aligned(ref t_a, length);

    /// <summary>At least <paramref name="length"/> elements for packed B, aligned to 64 bytes.</summary>
    public static ref T B(int length) => ref Aligned(ref t_b, length);

    private static unsafe ref T Aligned(ref T[]? array, int length)
    {
        int pad = 64 / sizeof(T);
        if (array is null || array.Length < length + pad)
            array = GC.AllocateUninitializedArray<T>(length + pad, pinned: true); // pinned: the address never moves
        ref T start = ref MemoryMarshal.GetArrayDataReference(array);
        int misalignment = (int)((nuint)Unsafe.AsPointer(ref start) & 63);
        return ref Unsafe.Add(ref start, ((64 - misalignment) & 63) / sizeof(T));
    }
}

/// <summary>
/// The GotoBLAS/BLIS loop nest for C = α·op(A)·op(B) + β·C on one register width <typeparamref name="TL"/>:
/// columns of C in NC blocks, depth in KC blocks (B packed into NR-column panels), rows in MC blocks
/// (A packed into MR-row panels), then an MR×NR register tile per micro-kernel call. Packing absorbs both
/// transposes and pads edge panels with zeros, so one micro-kernel serves all cases; edge tiles of C go
/// through a small scratch tile, so nothing outside the addressed parts of A, B and C is read or written.
/// </summary>
/// <remarks>
/// Every element of C gets the same arithmetic whatever the width: for each K block in order, a fused
/// multiply-add chain acc ← a·b + acc from acc = 0 over the block's depth, then c ← fma(β', c, α·acc) with
/// β' = β for the first block and 1 after it (c ← α·acc when β' = 0, so C is not read).
/// </remarks>
internal static class GemmDriver<TL, T, TV>
    where TL : struct, IGemmLanes<T, TV>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TV : struct
{
    private const int MR = GemmBlocking.MR;

    /// <summary>Columns of a register tile: two registers.</summary>
    private static int NR => 2 * TL.Count;

    /// <summary>
    /// C = α·op(A)·op(B) + β·C for m, n, k ≥ 1 on validated, non-overlapping storage (row-major, leading
    /// dimensions in elements).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one-shot large products never run unoptimised code
    [SkipLocalsInit] // the scratch tile is written before it is read, except padding lanes whose results are dropped
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ref T a, nint lda, ref T b, nint ldb, T beta, ref T c, nint ldc)
    {
        int nr = NR;
        int mcMax = GemmBlocking.MC<T>();
        int kcMax = Math.Min(k, GemmBlocking.KC);
        int ncMax = RoundUp(Math.Min(n, GemmBlocking.NC), nr); // NC and MC are multiples of NR and MR
        ref T packedA = ref GemmBuffers<T>.A(RoundUp(Math.Min(m, mcMax), MR) * kcMax);
        ref T packedB = ref GemmBuffers<T>.B(ncMax * kcMax);
        Span<T> tile = stackalloc T[MR * 32]; // MR × NR for the widest kernel (16 floats × 2 registers)

        // Each loop steps by the block it has just done, so no index ever passes n, k or m (no overflow near 2³¹).
        for (int jc = 0, nc; jc < n; jc += nc)
        {
            nc = Math.Min(GemmBlocking.NC, n - jc);
            for (int pc = 0, kc; pc < k; pc += kc)
            {
                kc = Math.Min(GemmBlocking.KC, k - pc);
                T betaBlock = pc == 0 ? beta : T.One;
                PackB(transposeB, ref b, ldb, pc, jc, kc, nc, ref packedB);
                for (int ic = 0, mc; ic < m; ic += mc)
                {
                    mc = Math.Min(mcMax, m - ic);
                    PackA(transposeA, ref a, lda, ic, pc, mc, kc, ref packedA);
                    for (int j0 = 0; j0 < nc; j0 += nr)
                    {
                        int nrEdge = Math.Min(nr, nc - j0);
                        ref T panelB = ref Unsafe.Add(ref packedB, (nint)j0 * kc);
                        for (int i0 = 0; i0 < mc; i0 += MR)
                        {
                            int mrEdge = Math.Min(MR, mc - i0);
                            ref T panelA = ref Unsafe.Add(ref packedA, (nint)i0 * kc);
                            ref T cTile = ref Unsafe.Add(ref c, (ic + i0) * ldc + jc + j0);
                            if (mrEdge == MR && nrEdge == nr)
                            {
                                MicroKernel(kc, ref panelA, ref panelB, alpha, betaBlock, ref cTile, ldc);
                            }
                            else
                            {
                                ref T scratch = ref MemoryMarshal.GetReference(tile);
                                if (betaBlock != T.Zero) CopyTile(ref cTile, ldc, ref scratch, nr, mrEdge, nrEdge);
                                MicroKernel(kc, ref panelA, ref panelB, alpha, betaBlock, ref scratch, nr);
                                CopyTile(ref scratch, nr, ref cTile, ldc, mrEdge, nrEdge);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void CopyTile(ref T source, nint sourceStride, ref T destination, nint destinationStride, int rows, int columns)
    {
        for (int i = 0; i < rows; i++)
        {
            ref T s = ref Unsafe.Add(ref source, i * sourceStride);
            ref T d = ref Unsafe.Add(ref destination, i * destinationStride);
            for (int j = 0; j < columns; j++)
                Unsafe.Add(ref d, j) = Unsafe.Add(ref s, j);
        }
    }

    /// <summary>
    /// Packs rows [ic, ic + mc) × depth [pc, pc + kc) of op(A) into MR-row panels: element (i, p) of panel q
    /// lands at q·MR·kc + p·MR + (i mod MR). Rows past mc in the last panel are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transposeA, ref T a, nint lda, int ic, int pc, int mc, int kc, ref T destination)
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int rows = Math.Min(MR, mc - i0);
            ref T panel = ref Unsafe.Add(ref destination, (nint)i0 * kc);
            if (!transposeA)
            {
                // op(A)[i, p] = a[i·lda + p]: six row streams, written interleaved.
                ref T row0 = ref Unsafe.Add(ref a, (ic + i0) * lda + pc);
                if (rows == MR)
                {
                    int p = 0;
                    if (typeof(T) == typeof(float) && Avx.IsSupported)
                    {
                        for (; p <= kc - 8; p += 8)
                            GemmPacking.Rows6x8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref row0, p)), lda, ref Unsafe.As<T, float>(ref Unsafe.Add(ref panel, p * MR)));
                    }
                    else if (typeof(T) == typeof(double) && Avx.IsSupported)
                    {
                        for (; p <= kc - 4; p += 4)
                            GemmPacking.Rows6x4(ref Unsafe.As<T, double>(ref Unsafe.Add(ref row0, p)), lda, ref Unsafe.As<T, double>(ref Unsafe.Add(ref panel, p * MR)));
                    }
                    ref T row1 = ref Unsafe.Add(ref row0, lda);
                    ref T row2 = ref Unsafe.Add(ref row1, lda);
                    ref T row3 = ref Unsafe.Add(ref row2, lda);
                    ref T row4 = ref Unsafe.Add(ref row3, lda);
                    ref T row5 = ref Unsafe.Add(ref row4, lda);
                    for (; p < kc; p++)
                    {
                        ref T d = ref Unsafe.Add(ref panel, p * MR);
                        d = Unsafe.Add(ref row0, p);
                        Unsafe.Add(ref d, 1) = Unsafe.Add(ref row1, p);
                        Unsafe.Add(ref d, 2) = Unsafe.Add(ref row2, p);
                        Unsafe.Add(ref d, 3) = Unsafe.Add(ref row3, p);
                        Unsafe.Add(ref d, 4) = Unsafe.Add(ref row4, p);
                        Unsafe.Add(ref d, 5) = Unsafe.Add(ref row5, p);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        ref T d = ref Unsafe.Add(ref panel, p * MR);
                        for (int ii = 0; ii < rows; ii++)
                            Unsafe.Add(ref d, ii) = Unsafe.Add(ref row0, ii * lda + p);
                        for (int ii = rows; ii < MR; ii++)
                            Unsafe.Add(ref d, ii) = T.Zero;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[p·lda + i]: each depth step is MR contiguous elements.
                ref T column = ref Unsafe.Add(ref a, pc * lda + ic + i0);
                if (rows == MR)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(
                            ref Unsafe.As<T, byte>(ref Unsafe.Add(ref panel, p * MR)),
                            ref Unsafe.As<T, byte>(ref Unsafe.Add(ref column, p * lda)),
                            (uint)(MR * Unsafe.SizeOf<T>()));
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        ref T s = ref Unsafe.Add(ref column, p * lda);
                        ref T d = ref Unsafe.Add(ref panel, p * MR);
                        for (int ii = 0; ii < rows; ii++)
                            Unsafe.Add(ref d, ii) = Unsafe.Add(ref s, ii);
                        for (int ii = rows; ii < MR; ii++)
                            Unsafe.Add(ref d, ii) = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth [pc, pc + kc) × columns [jc, jc + nc) of op(B) into NR-column panels: element (p, j) of
    /// panel q lands at q·NR·kc + p·NR + (j mod NR). Columns past nc in the last panel are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transposeB, ref T b, nint ldb, int pc, int jc, int kc, int nc, ref T destination)
    {
        int nr = NR;
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int columns = Math.Min(nr, nc - j0);
            ref T panel = ref Unsafe.Add(ref destination, (nint)j0 * kc);
            if (!transposeB)
            {
                // op(B)[p, j] = b[p·ldb + j]: each depth step is NR contiguous elements.
                ref T row = ref Unsafe.Add(ref b, pc * ldb + jc + j0);
                if (columns == nr)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(
                            ref Unsafe.As<T, byte>(ref Unsafe.Add(ref panel, p * nr)),
                            ref Unsafe.As<T, byte>(ref Unsafe.Add(ref row, p * ldb)),
                            (uint)(nr * Unsafe.SizeOf<T>()));
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        ref T s = ref Unsafe.Add(ref row, p * ldb);
                        ref T d = ref Unsafe.Add(ref panel, p * nr);
                        for (int jj = 0; jj < columns; jj++)
                            Unsafe.Add(ref d, jj) = Unsafe.Add(ref s, jj);
                        for (int jj = columns; jj < nr; jj++)
                            Unsafe.Add(ref d, jj) = T.Zero;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[j·ldb + p]: one column of op(B) is a contiguous row of b.
                ref T first = ref Unsafe.Add(ref b, (jc + j0) * ldb + pc);
                int p = 0; // depth already packed by register transposes
                if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr && nr % 8 == 0)
                {
                    for (; p <= kc - 8; p += 8)
                        for (int jj = 0; jj < nr; jj += 8)
                            GemmPacking.Transpose8x8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref first, jj * ldb + p)), ldb,
                                ref Unsafe.As<T, float>(ref Unsafe.Add(ref panel, p * nr + jj)), nr);
                }
                else if (typeof(T) == typeof(double) && Avx.IsSupported && columns == nr && nr % 4 == 0)
                {
                    for (; p <= kc - 4; p += 4)
                        for (int jj = 0; jj < nr; jj += 4)
                            GemmPacking.Transpose4x4(ref Unsafe.As<T, double>(ref Unsafe.Add(ref first, jj * ldb + p)), ldb,
                                ref Unsafe.As<T, double>(ref Unsafe.Add(ref panel, p * nr + jj)), nr);
                }
                PackColumns(ref first, ldb, columns, p, kc, nr, ref panel);
                for (int jj = columns; jj < nr; jj++)
                {
                    ref T d = ref Unsafe.Add(ref panel, jj);
                    for (int q = 0; q < kc; q++)
                        Unsafe.Add(ref d, q * nr) = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Scalar part of packing a transposed B: panel[p·nr + jj] = first[jj·ldb + p] for columns jj &lt; columns
    /// and depth p in [pFrom, pTo).
    /// </summary>
    private static void PackColumns(ref T first, nint ldb, int columns, int pFrom, int pTo, int nr, ref T panel)
    {
        for (int jj = 0; jj < columns; jj++)
        {
            ref T s = ref Unsafe.Add(ref first, jj * ldb);
            ref T d = ref Unsafe.Add(ref panel, jj);
            for (int p = pFrom; p < pTo; p++)
                Unsafe.Add(ref d, p * nr) = Unsafe.Add(ref s, p);
        }
    }

    /// <summary>
    /// The MR×NR register tile: twelve accumulators (6 rows × 2 registers) hold
    /// acc[i, j] = Σ_p a[i, p]·b[p, j] as a chain of fused multiply-adds over the packed panels
    /// (a: kc×MR, b: kc×NR), then C ← fma(β, C, α·acc), or C ← α·acc without reading C when β = 0.
    /// </summary>
    // Its own method, so its twelve accumulators get the whole register file; fully optimised from the first call.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel(int kc, ref T a, ref T b, T alpha, T beta, ref T c, nint ldc)
    {
        nint w = TL.Count;
        TV c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero, c20 = TL.Zero, c21 = TL.Zero;
        TV c30 = TL.Zero, c31 = TL.Zero, c40 = TL.Zero, c41 = TL.Zero, c50 = TL.Zero, c51 = TL.Zero;
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TL.Load(ref b);
            TV b1 = TL.Load(ref Unsafe.Add(ref b, w));
            TV ai = TL.Broadcast(a);
            c00 = TL.MultiplyAdd(ai, b0, c00);
            c01 = TL.MultiplyAdd(ai, b1, c01);
            ai = TL.Broadcast(Unsafe.Add(ref a, 1));
            c10 = TL.MultiplyAdd(ai, b0, c10);
            c11 = TL.MultiplyAdd(ai, b1, c11);
            ai = TL.Broadcast(Unsafe.Add(ref a, 2));
            c20 = TL.MultiplyAdd(ai, b0, c20);
            c21 = TL.MultiplyAdd(ai, b1, c21);
            ai = TL.Broadcast(Unsafe.Add(ref a, 3));
            c30 = TL.MultiplyAdd(ai, b0, c30);
            c31 = TL.MultiplyAdd(ai, b1, c31);
            ai = TL.Broadcast(Unsafe.Add(ref a, 4));
            c40 = TL.MultiplyAdd(ai, b0, c40);
            c41 = TL.MultiplyAdd(ai, b1, c41);
            ai = TL.Broadcast(Unsafe.Add(ref a, 5));
            c50 = TL.MultiplyAdd(ai, b0, c50);
            c51 = TL.MultiplyAdd(ai, b1, c51);
            a = ref Unsafe.Add(ref a, MR);
            b = ref Unsafe.Add(ref b, 2 * w);
        }

        TV va = TL.Broadcast(alpha);
        if (beta == T.Zero)
        {
            Put(ref c, w, c00, c01, va);
            Put(ref Unsafe.Add(ref c, ldc), w, c10, c11, va);
            Put(ref Unsafe.Add(ref c, 2 * ldc), w, c20, c21, va);
            Put(ref Unsafe.Add(ref c, 3 * ldc), w, c30, c31, va);
            Put(ref Unsafe.Add(ref c, 4 * ldc), w, c40, c41, va);
            Put(ref Unsafe.Add(ref c, 5 * ldc), w, c50, c51, va);
        }
        else
        {
            TV vb = TL.Broadcast(beta);
            Update(ref c, w, c00, c01, va, vb);
            Update(ref Unsafe.Add(ref c, ldc), w, c10, c11, va, vb);
            Update(ref Unsafe.Add(ref c, 2 * ldc), w, c20, c21, va, vb);
            Update(ref Unsafe.Add(ref c, 3 * ldc), w, c30, c31, va, vb);
            Update(ref Unsafe.Add(ref c, 4 * ldc), w, c40, c41, va, vb);
            Update(ref Unsafe.Add(ref c, 5 * ldc), w, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref T c, nint w, TV left, TV right, TV alpha)
    {
        TL.Store(TL.Multiply(alpha, left), ref c);
        TL.Store(TL.Multiply(alpha, right), ref Unsafe.Add(ref c, w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref T c, nint w, TV left, TV right, TV alpha, TV beta)
    {
        ref T c1 = ref Unsafe.Add(ref c, w);
        TL.Store(TL.MultiplyAdd(beta, TL.Load(ref c), TL.Multiply(alpha, left)), ref c);
        TL.Store(TL.MultiplyAdd(beta, TL.Load(ref c1), TL.Multiply(alpha, right)), ref c1);
    }
}
