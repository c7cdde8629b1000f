using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Numerics;

/// <summary>
/// General matrix multiply, C = α·op(A)·op(B) + β·C, on row-major storage, single-threaded, register-blocked
/// in the GotoBLAS/BLIS way (packed panels, cache blocks over K, M and N, an MR×NR register tile).
/// </summary>
/// <remarks>
/// <para>Layout: element (i, j) of a row-major matrix with leading dimension ld is at index i·ld + j.
/// op(A) is m×k: A itself (m×k, lda ≥ max(1, k)) or, when transposeA, Aᵀ of a k×m array (lda ≥ max(1, m)).
/// op(B) is k×n: B itself (k×n, ldb ≥ max(1, n)) or, when transposeB, Bᵀ of an n×k array (ldb ≥ max(1, k)).
/// C is m×n with ldc ≥ max(1, n). A span must reach the last element addressed, (rows − 1)·ld + columns
/// (zero when the matrix is empty); elements between rows are neither read nor written.</para>
/// <para>Special values follow BLAS: β = 0 overwrites C without reading it, so NaN or ∞ already in C does not
/// propagate; α = 0 or k = 0 gives C = β·C without reading A or B; β = 1 with α = 0 or k = 0 leaves C untouched.
/// Otherwise NaN and ∞ in A or B propagate through IEEE arithmetic into the row or column of C they touch
/// (∞·0 = NaN included).</para>
/// <para>Arithmetic: each C(i, j) is, for each block of K = 256 depth steps in order, a chain of fused
/// multiply-adds acc ← a(i,p)·b(p,j) + acc from acc = 0, folded in as c ← fma(β', c, α·acc) with β' = β for the
/// first block and 1 after it. The AVX-512, AVX2 and scalar kernels, and the unpacked loop used when m·n·k ≤ 512,
/// perform exactly this sequence, so the result is bit-identical on every instruction set and depends on nothing
/// but (m, n, k, α, β and the inputs). The error bound is that of a dot product with fused multiply-adds:
/// |C − C_exact| ≤ (k + 2)·u·(|α|·Σ_p |a||b| + |β|·|c|) to first order, u the unit roundoff (2⁻²⁴ float,
/// 2⁻⁵³ double).</para>
/// <para>Aliasing: C must not overlap A or B anywhere from the first to the last element each one addresses
/// (its extent (rows − 1)·ld + columns from the span's start); such calls throw rather than compute from
/// half-written inputs. This is conservative: two interleaved matrices sharing one buffer are refused too.</para>
/// <para>Thread safety: safe to call concurrently on different C; packing buffers are per thread (64-byte aligned,
/// grown on first use and then reused, so a warmed-up thread does not allocate).</para>
/// </remarks>
public static class Gemm
{
    /// <summary>The register kernel the public entries use on this machine for products above <see cref="DirectLimit"/>.</summary>
    internal static GemmKernel BestKernel =>
        GemmLanes512F.IsSupported ? GemmKernel.Avx512
        : GemmLanes256F.IsSupported ? GemmKernel.Avx2
        : GemmKernel.Scalar;

    /// <summary>
    /// C = α·op(A)·op(B) + β·C in single precision, all row-major: op(A) is m×k (A is m×k with leading dimension
    /// <paramref name="lda"/>, or k×m when <paramref name="transposeA"/>), op(B) is k×n (B is k×n with
    /// <paramref name="ldb"/>, or n×k when <paramref name="transposeB"/>), C is m×n with <paramref name="ldc"/>.
    /// β = 0 means C is overwritten and never read (NaN in C does not propagate), as in BLAS; k = 0 or α = 0 gives
    /// C = β·C without reading A or B. The result is bit-identical on every instruction set (see <see cref="Gemm"/>).
    /// </summary>
    /// <param name="transposeA">Use Aᵀ: <paramref name="a"/> holds a k×m matrix.</param>
    /// <param name="transposeB">Use Bᵀ: <paramref name="b"/> holds an n×k matrix.</param>
    /// <param name="m">Rows of op(A) and of C (≥ 0).</param>
    /// <param name="n">Columns of op(B) and of C (≥ 0).</param>
    /// <param name="k">Columns of op(A), rows of op(B): the depth summed over (≥ 0).</param>
    /// <param name="alpha">Scale α of the product.</param>
    /// <param name="a">Storage of A, row-major.</param>
    /// <param name="lda">Distance between rows of the stored A, in elements (≥ its row length, and ≥ 1).</param>
    /// <param name="b">Storage of B, row-major.</param>
    /// <param name="ldb">Distance between rows of the stored B, in elements (≥ its row length, and ≥ 1).</param>
    /// <param name="beta">Scale β of the existing C; 0 means C is write-only.</param>
    /// <param name="c">Storage of C, row-major; must not overlap the parts of a or b that are addressed.</param>
    /// <param name="ldc">Distance between rows of C, in elements (≥ max(1, n)).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix needs, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc) =>
        Multiply(Choose(m, n, k), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// C = α·op(A)·op(B) + β·C in double precision, all row-major: op(A) is m×k (A is m×k with leading dimension
    /// <paramref name="lda"/>, or k×m when <paramref name="transposeA"/>), op(B) is k×n (B is k×n with
    /// <paramref name="ldb"/>, or n×k when <paramref name="transposeB"/>), C is m×n with <paramref name="ldc"/>.
    /// β = 0 means C is overwritten and never read (NaN in C does not propagate), as in BLAS; k = 0 or α = 0 gives
    /// C = β·C without reading A or B. The result is bit-identical on every instruction set (see <see cref="Gemm"/>).
    /// </summary>
    /// <param name="transposeA">Use Aᵀ: <paramref name="a"/> holds a k×m matrix.</param>
    /// <param name="transposeB">Use Bᵀ: <paramref name="b"/> holds an n×k matrix.</param>
    /// <param name="m">Rows of op(A) and of C (≥ 0).</param>
    /// <param name="n">Columns of op(B) and of C (≥ 0).</param>
    /// <param name="k">Columns of op(A), rows of op(B): the depth summed over (≥ 0).</param>
    /// <param name="alpha">Scale α of the product.</param>
    /// <param name="a">Storage of A, row-major.</param>
    /// <param name="lda">Distance between rows of the stored A, in elements (≥ its row length, and ≥ 1).</param>
    /// <param name="b">Storage of B, row-major.</param>
    /// <param name="ldb">Distance between rows of the stored B, in elements (≥ its row length, and ≥ 1).</param>
    /// <param name="beta">Scale β of the existing C; 0 means C is write-only.</param>
    /// <param name="c">Storage of C, row-major; must not overlap the parts of a or b that are addressed.</param>
    /// <param name="ldc">Distance between rows of C, in elements (≥ max(1, n)).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix needs, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc) =>
        Multiply(Choose(m, n, k), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Single precision on a chosen kernel, so tests can compare kernels on one machine. Avx512 also runs where the
    /// hardware lacks it, on software Vector512 (slowly, same bits); Avx2 throws PlatformNotSupportedException without FMA.
    /// </summary>
    internal static void Multiply(GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        if (!Prepare(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rc = ref MemoryMarshal.GetReference(c);
        switch (kernel)
        {
            case GemmKernel.Avx512:
                GemmDriver<GemmLanes512F, float, Vector512<float>>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            case GemmKernel.Avx2:
                GemmDriver<GemmLanes256F, float, Vector256<float>>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            case GemmKernel.Scalar:
                GemmDriver<GemmLanes1<float>, float, float>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            default:
                GemmDirect<float>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
        }
    }

    /// <summary>Double precision on a chosen kernel; see the single-precision overload.</summary>
    internal static void Multiply(GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        if (!Prepare(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        switch (kernel)
        {
            case GemmKernel.Avx512:
                GemmDriver<GemmLanes512D, double, Vector512<double>>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            case GemmKernel.Avx2:
                GemmDriver<GemmLanes256D, double, Vector256<double>>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            case GemmKernel.Scalar:
                GemmDriver<GemmLanes1<double>, double, double>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
            default:
                GemmDirect<double>.Multiply(transposeA, transposeB, m, n, k, alpha, ref ra, lda, ref rb, ldb, beta, ref rc, ldc);
                break;
        }
    }

    /// <summary>
    /// Largest m·n·k done by the unpacked triple loop: below it, packing and the edge tiles of a 6×16 register
    /// tile cost more than they save.
    /// </summary>
    internal const long DirectLimit = 512;

    /// <summary>The kernel the public entries use for an m×n×k product.</summary>
    internal static GemmKernel Choose(int m, int n, int k) =>
        (long)m * n <= DirectLimit && (long)m * n * k <= DirectLimit ? GemmKernel.Direct : BestKernel; // m·n ≤ 512 first: m·n·k cannot overflow

    /// <summary>True when <paramref name="kernel"/> runs on hardware instructions here.</summary>
    internal static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Avx512 => GemmLanes512F.IsSupported,
        GemmKernel.Avx2 => GemmLanes256F.IsSupported,
        _ => true,
    };

    /// <summary>
    /// Validates every argument, refuses aliasing, and does the whole job itself when it is only C = β·C
    /// (m or n = 0, k = 0 or α = 0). Returns true when the product remains to be computed.
    /// </summary>
    private static bool Prepare<T>(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long needA = Extent(a.Length, transposeA ? k : m, transposeA ? m : k, lda, transposeA ? "k×m (transposed)" : "m×k", nameof(a), nameof(lda));
        long needB = Extent(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, transposeB ? "n×k (transposed)" : "k×n", nameof(b), nameof(ldb));
        long needC = Extent(c.Length, m, n, ldc, "m×n", nameof(c), nameof(ldc));

        ReadOnlySpan<T> usedC = c[..(int)needC];
        if (usedC.Overlaps(a[..(int)needA]))
            throw new ArgumentException("aliasing refused: the part of c that is written overlaps the part of a that is read.", nameof(c));
        if (usedC.Overlaps(b[..(int)needB]))
            throw new ArgumentException("aliasing refused: the part of c that is written overlaps the part of b that is read.", nameof(c));

        if (m == 0 || n == 0) return false;
        if (k > 0 && alpha != T.Zero) return true;
        if (beta == T.One) return false;
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (beta == T.Zero)
            {
                row.Clear();
            }
            else
            {
                for (int j = 0; j < row.Length; j++)
                    row[j] *= beta;
            }
        }
        return false;
    }

    /// <summary>
    /// Checks the leading dimension of a rows×columns row-major matrix and that its span reaches the last element
    /// addressed; returns that extent, (rows − 1)·ld + columns, or 0 for an empty matrix.
    /// </summary>
    private static long Extent(int length, int rows, int columns, int ld, string shape, string spanName, string ldName)
    {
        int minimum = Math.Max(1, columns);
        if (ld < minimum)
            throw new ArgumentOutOfRangeException(ldName, ld, $"{ldName} = {ld} is smaller than max(1, row length) = {minimum} of the stored {rows}×{columns} ({shape}) matrix.");
        long need = rows == 0 || columns == 0 ? 0 : (long)(rows - 1) * ld + columns;
        if (length < need)
            throw new ArgumentException($"{spanName} has {length} elements but its {rows}×{columns} ({shape}) matrix with {ldName} = {ld} needs {need}.", spanName);
        return need;
    }
}
