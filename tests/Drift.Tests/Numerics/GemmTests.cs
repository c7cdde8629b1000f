using Drift.Numerics;

namespace Drift.Tests.Numerics;

/// <summary>
/// GEMM against a naive triple loop that accumulates in double. Bound used throughout, for a result computed in
/// precision eps (2⁻²³ float, 2⁻⁵² double): |C − oracle| ≤ 4·(k + 2)·eps·(|α|·Σ_p |a_ip·b_pj| + |β|·|c_ij|),
/// a fourfold margin over the first-order FMA dot-product bound (k + 2)·(eps/2)·(…) plus the oracle's own error.
/// </summary>
public class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 31, 32, 33, 47, 63, 64, 65, 70];
    private static readonly int[] Depths = [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33, 70];
    private static readonly (double Alpha, double Beta)[] Scales = [(1, 0), (0.5, -2)]; // β = 0 cases start from a C full of NaN
    /// <summary>
    /// Every kernel that can run here: the unpacked loop for tiny products, AVX-512 always (on software Vector512 where the hardware lacks it, which
    /// checks its loop structure and edges, not its hardware instructions), AVX2 where FMA is available, scalar.
    /// </summary>
    private static readonly GemmKernel[] Kernels = Enum.GetValues<GemmKernel>().Where(k => k == GemmKernel.Avx512 || Gemm.IsSupported(k)).ToArray();
    private const float Guard = 12345.5f;

    /// <summary>
    /// A matrix as GEMM is handed it: row-major, transposed or not, with a leading dimension larger than needed,
    /// NaN between rows and a guard tail after the span, so a read outside the matrix poisons the result.
    /// </summary>
    private sealed class Stored
    {
        public readonly int Ld, Need;
        public readonly float[] Data; // [0, Need) is the span
        public readonly double[] Doubles; // the same values in double

        /// <summary>Stores the rows×columns row-major <paramref name="logical"/> (or its transpose) with <paramref name="pad"/> spare columns.</summary>
        public Stored(double[] logical, int rows, int columns, bool transposed, int pad)
        {
            int storedRows = transposed ? columns : rows, storedColumns = transposed ? rows : columns;
            Ld = Math.Max(1, storedColumns) + pad;
            Need = storedRows == 0 || storedColumns == 0 ? 0 : (storedRows - 1) * Ld + storedColumns;
            Data = new float[Need + 40];
            Array.Fill(Data, float.NaN);
            for (int i = Need; i < Data.Length; i++) Data[i] = Guard;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                    Data[transposed ? j * Ld + i : i * Ld + j] = (float)logical[i * columns + j];
            Doubles = Array.ConvertAll(Data, x => (double)x);
        }

        public ReadOnlySpan<float> Span => Data.AsSpan(0, Need);
        public ReadOnlySpan<double> DoubleSpan => Doubles.AsSpan(0, Need);
    }

    /// <summary>rows×columns values uniform in [−1, 1), each exactly a float.</summary>
    private static double[] RandomMatrix(int rows, int columns, System.Random rng)
    {
        var x = new double[rows * columns];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>The naive triple loop in double on logical (row-major, untransposed) op(A), op(B) and C.</summary>
    private static (double[] Expected, double[] Scale) Oracle(int m, int n, int k, double alpha, double[] opA, double[] opB, double beta, double[] c)
    {
        var columnsB = new double[n * k]; // op(B) by columns, so both operands of a dot product are contiguous
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                columnsB[j * k + p] = opB[p * n + j];
        var expected = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, magnitude = 0;
                for (int p = 0, ia = i * k, jb = j * k; p < k; p++)
                {
                    double product = opA[ia + p] * columnsB[jb + p];
                    s += product;
                    magnitude += product < 0 ? -product : product;
                }
                double c0 = beta == 0 ? 0 : c[i * n + j];
                expected[i * n + j] = alpha * s + beta * c0;
                scale[i * n + j] = Math.Abs(alpha) * magnitude + Math.Abs(beta * c0);
            }
        return (expected, scale);
    }

    private static void AssertWithinBound<T>(string type, GemmKernel kernel, string what, int m, int n, int k, double eps, double[] expected, double[] scale, T[] c, int ldc)
        where T : System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double e = expected[i * n + j], bound = 4 * (k + 2) * eps * scale[i * n + j], x = double.CreateTruncating(c[i * ldc + j]);
                if (!(Math.Abs(x - e) <= bound))
                    Assert.Fail($"{type} {kernel} {what}: C[{i},{j}] = {x:R}, oracle {e:R}, |diff| {Math.Abs(x - e):E3} > bound {bound:E3}");
            }
    }

    /// <summary>Padding between rows and the tail after the span are exactly as before the call.</summary>
    private static void AssertOnlyMatrixWritten<T>(string type, GemmKernel kernel, string what, T[] before, T[] after, int rows, int columns, int ld) where T : IEquatable<T>
    {
        for (int idx = 0; idx < after.Length; idx++)
        {
            bool inside = rows > 0 && columns > 0 && idx / ld < rows && idx % ld < columns;
            if (!inside && !before[idx].Equals(after[idx])) // Equals (unlike ==) holds for NaN and NaN
                Assert.Fail($"{type} {kernel} {what}: element {idx} outside the {rows}×{columns} matrix (ld {ld}) was written.");
        }
    }

    /// <summary>
    /// One product in all four storage layouts, on every kernel, in float and in double (double GEMM on the same
    /// float values): each within the bound of one oracle, all kernels bit-identical, nothing outside C written,
    /// nothing outside A and B read (they are surrounded by NaN), and with β = 0 a C full of NaN never read.
    /// </summary>
    private static void CheckCase(int m, int n, int k, double alpha, double beta, System.Random rng)
    {
        double[] opA = RandomMatrix(m, k, rng), opB = RandomMatrix(k, n, rng), c0 = RandomMatrix(m, n, rng);
        if (beta == 0) Array.Fill(c0, double.NaN);
        var (expected, scale) = Oracle(m, n, k, alpha, opA, opB, beta, c0);
        var c = new Stored(c0, m, n, false, 1);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var a = new Stored(opA, m, k, ta, 3);
                var b = new Stored(opB, k, n, tb, 2);
                string what = $"m={m} n={n} k={k} ta={ta} tb={tb} alpha={alpha} beta={beta}";
                float[]? firstFloat = null;
                double[]? firstDouble = null;
                foreach (var kernel in Kernels)
                {
                    var cf = (float[])c.Data.Clone();
                    Gemm.Multiply(kernel, ta, tb, m, n, k, (float)alpha, a.Span, a.Ld, b.Span, b.Ld, (float)beta, cf.AsSpan(0, c.Need), c.Ld);
                    AssertWithinBound("float", kernel, what, m, n, k, Math.Pow(2, -23), expected, scale, cf, c.Ld);
                    AssertOnlyMatrixWritten("float", kernel, what, c.Data, cf, m, n, c.Ld);
                    if (firstFloat is null) firstFloat = cf;
                    else if (!firstFloat.AsSpan().SequenceEqual(cf)) Assert.Fail($"float {kernel} differs in bits from {Kernels[0]}: {what}");

                    var cd = (double[])c.Doubles.Clone();
                    Gemm.Multiply(kernel, ta, tb, m, n, k, alpha, a.DoubleSpan, a.Ld, b.DoubleSpan, b.Ld, beta, cd.AsSpan(0, c.Need), c.Ld);
                    AssertWithinBound("double", kernel, what, m, n, k, Math.Pow(2, -52), expected, scale, cd, c.Ld);
                    AssertOnlyMatrixWritten("double", kernel, what, c.Doubles, cd, m, n, c.Ld);
                    if (firstDouble is null) firstDouble = cd;
                    else if (!firstDouble.AsSpan().SequenceEqual(cd)) Assert.Fail($"double {kernel} differs in bits from {Kernels[0]}: {what}");
                }
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_kernel_and_layout_matches_the_double_oracle_and_every_other_kernel_bit_for_bit_at_every_edge_size(int quarter)
    {
        var rng = new System.Random(17 + quarter);
        for (int mi = quarter; mi < Sizes.Length; mi += 4) // each quarter takes every fourth m
            foreach (int n in Sizes)
                foreach (int k in Depths)
                {
                    int m = Sizes[mi];
                    // (α, β) alternate over the cube, so each pair meets every size and both parities of every edge.
                    var (alpha, beta) = Scales[(m + n + k) % 2];
                    CheckCase(m, n, k, alpha, beta, rng);
                }
    }

    [Fact]
    public void Large_products_crossing_every_cache_block_match_the_oracle_on_every_kernel_and_layout()
    {
        var rng = new System.Random(5);
        CheckCase(256, 256, 256, 0.5, -2, rng);
        CheckCase(300, 129, 517, 1, 0, rng);
        CheckCase(7, 1100, 260, 0.5, -2, rng); // n > NC = 1024, k > KC = 256
    }

    [Fact]
    public void Float_and_double_products_of_the_same_values_agree_within_the_float_bound()
    {
        var rng = new System.Random(9);
        const int m = 37, n = 41, k = 300;
        double[] a = RandomMatrix(m, k, rng), b = RandomMatrix(k, n, rng);
        var cf = new float[m * n];
        var cd = new double[m * n];
        Gemm.Multiply(false, false, m, n, k, 1f, Array.ConvertAll(a, x => (float)x), k, Array.ConvertAll(b, x => (float)x), n, 0f, cf, n);
        Gemm.Multiply(false, false, m, n, k, 1.0, a, k, b, n, 0.0, cd, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double magnitude = 0;
                for (int p = 0; p < k; p++) magnitude += Math.Abs(a[i * k + p] * b[p * n + j]);
                double bound = 4 * (k + 2) * Math.Pow(2, -23) * magnitude;
                Assert.True(Math.Abs(cf[i * n + j] - cd[i * n + j]) <= bound, $"C[{i},{j}]: float {cf[i * n + j]}, double {cd[i * n + j]}");
            }
    }

    [Fact]
    public void Beta_zero_overwrites_C_without_reading_NaN_or_infinity_already_there()
    {
        foreach (var kernel in Kernels)
        {
            const int m = 13, n = 21, k = 9;
            var a = Enumerable.Range(0, m * k).Select(i => (float)(i % 7) - 3).ToArray();
            var b = Enumerable.Range(0, k * n).Select(i => (float)(i % 5) - 2).ToArray();
            var c = new float[m * n];
            for (int i = 0; i < c.Length; i++) c[i] = i % 2 == 0 ? float.NaN : float.PositiveInfinity;
            Gemm.Multiply(kernel, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            Assert.All(c, x => Assert.True(float.IsFinite(x)));

            var cd = Enumerable.Repeat(double.NaN, m * n).ToArray();
            Gemm.Multiply(kernel, false, false, m, n, 0, 1.0, [], 1, [], n, 0.0, cd, n); // k = 0: C = 0·C = 0
            Assert.All(cd, x => Assert.Equal(0.0, x));
        }
    }

    [Fact]
    public void Alpha_zero_or_empty_depth_scales_C_by_beta_without_reading_A_or_B()
    {
        var a = Enumerable.Repeat(float.NaN, 12).ToArray();
        var b = Enumerable.Repeat(float.NaN, 12).ToArray();
        var c = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        Gemm.Multiply(false, false, 3, 3, 4, 0f, a, 4, b, 3, -2f, c, 3);
        Assert.Equal(new float[] { -2, -4, -6, -8, -10, -12, -14, -16, -18 }, c);
        Gemm.Multiply(false, false, 3, 3, 0, 1f, [], 1, [], 3, 0.5f, c, 3);
        Assert.Equal(new float[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 }, c);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void NaN_and_infinity_in_A_propagate_to_their_row_of_C_and_nowhere_else(bool transposeA, bool transposeB)
    {
        const int m = 19, n = 35, k = 27;
        var rng = new System.Random(2);
        foreach (var kernel in Kernels)
            foreach (var (row, depth, bad) in new[] { (0, 0, double.NaN), (18, 26, double.PositiveInfinity), (7, 13, double.NegativeInfinity), (12, 8, double.NaN) })
            {
                var a = new double[m * k];
                var b = new double[k * n];
                for (int i = 0; i < a.Length; i++) a[i] = 0.5 + rng.NextDouble(); // positive, so ∞ cannot meet −∞
                for (int i = 0; i < b.Length; i++) b[i] = 0.5 + rng.NextDouble();
                int zeroColumn = 30; // ∞·0 = NaN in this column
                a[transposeA ? depth * m + row : row * k + depth] = bad;
                b[transposeB ? zeroColumn * k + depth : depth * n + zeroColumn] = 0;
                var c = new double[m * n];
                Gemm.Multiply(kernel, transposeA, transposeB, m, n, k, 1.0, a, transposeA ? m : k, b, transposeB ? k : n, 0.0, c, n);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double x = c[i * n + j];
                        if (i != row) Assert.True(double.IsFinite(x), $"{kernel}: C[{i},{j}] = {x} should be finite");
                        else if (double.IsNaN(bad) || j == zeroColumn) Assert.True(double.IsNaN(x), $"{kernel}: C[{i},{j}] = {x} should be NaN");
                        else Assert.Equal(bad, x);
                    }
            }
    }

    [Fact]
    public void C_overlapping_the_addressed_part_of_A_or_B_is_refused_as_aliasing()
    {
        var buffer = new float[100];
        // C is A: full overlap.
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1f, buffer.AsSpan(0, 16), 4, new float[16], 4, 0f, buffer.AsSpan(0, 16), 4));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("aliasing refused", e.Message);
        // C starts on A's last element: partial overlap.
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1f, buffer.AsSpan(0, 16), 4, new float[16], 4, 0f, buffer.AsSpan(15, 16), 4));
        Assert.Contains("aliasing refused", e.Message);
        // C ends on B's first element, in double.
        var doubles = new double[100];
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, true, 3, 5, 2, 1.0, new double[6], 3, doubles.AsSpan(20, 10), 2, 1.0, doubles.AsSpan(6, 15), 5));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("aliasing refused", e.Message);
        // Adjacent but disjoint regions of one buffer are fine, and so is overlap with the unaddressed tail of a span.
        Gemm.Multiply(false, false, 4, 4, 4, 1f, buffer.AsSpan(0, 16), 4, buffer.AsSpan(16, 16), 4, 0f, buffer.AsSpan(32, 16), 4);
        Gemm.Multiply(false, false, 4, 4, 4, 1f, buffer.AsSpan(0, 40), 4, buffer.AsSpan(60, 16), 4, 0f, buffer.AsSpan(16, 16), 4);
    }

    [Fact]
    public void Bad_dimensions_leading_dimensions_and_short_spans_are_refused_naming_parameter_and_value()
    {
        var x = new float[64];
        var c = new float[64];
        void Call(bool ta, bool tb, int m, int n, int k, int lda, int ldb, int ldc, int aLength = 64, int bLength = 64, int cLength = 64) =>
            Gemm.Multiply(ta, tb, m, n, k, 1f, x.AsSpan(0, aLength), lda, x.AsSpan(0, bLength), ldb, 0f, c.AsSpan(0, cLength), ldc);

        foreach (var (name, call) in new (string, Action)[]
        {
            ("m", () => Call(false, false, -1, 2, 2, 2, 2, 2)),
            ("n", () => Call(false, false, 2, -3, 2, 2, 2, 2)),
            ("k", () => Call(false, false, 2, 2, -7, 2, 2, 2)),
        })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal(name, e.ParamName);
            Assert.Contains("-", e.Message);
        }

        var ld = Assert.Throws<ArgumentOutOfRangeException>(() => Call(false, false, 4, 4, 5, 4, 4, 4)); // A is 4×5: lda ≥ 5
        Assert.Equal("lda", ld.ParamName);
        Assert.Equal(4, ld.ActualValue);
        ld = Assert.Throws<ArgumentOutOfRangeException>(() => Call(true, false, 6, 4, 5, 5, 4, 4)); // Aᵀ stored 5×6: lda ≥ 6
        Assert.Equal("lda", ld.ParamName);
        ld = Assert.Throws<ArgumentOutOfRangeException>(() => Call(false, true, 4, 4, 5, 5, 4, 4)); // Bᵀ stored 4×5: ldb ≥ 5
        Assert.Equal("ldb", ld.ParamName);
        ld = Assert.Throws<ArgumentOutOfRangeException>(() => Call(false, false, 4, 4, 4, 4, 4, 3));
        Assert.Equal("ldc", ld.ParamName);
        Assert.Contains("3", ld.Message);
        ld = Assert.Throws<ArgumentOutOfRangeException>(() => Call(false, false, 0, 0, 0, 0, 1, 1)); // ld ≥ 1 even when empty
        Assert.Equal("lda", ld.ParamName);

        var shortSpan = Assert.Throws<ArgumentException>(() => Call(false, false, 4, 4, 4, 5, 4, 4, aLength: 18)); // needs 3·5 + 4 = 19
        Assert.Equal("a", shortSpan.ParamName);
        Assert.Contains("18", shortSpan.Message);
        Assert.Contains("19", shortSpan.Message);
        shortSpan = Assert.Throws<ArgumentException>(() => Call(false, false, 4, 4, 4, 4, 4, 4, bLength: 15));
        Assert.Equal("b", shortSpan.ParamName);
        shortSpan = Assert.Throws<ArgumentException>(() => Call(false, false, 4, 4, 4, 4, 4, 4, cLength: 15));
        Assert.Equal("c", shortSpan.ParamName);

        // Empty matrices need no storage at all.
        Gemm.Multiply(false, false, 0, 5, 3, 1f, [], 3, x.AsSpan(0, 15), 5, 0f, [], 5);
        Gemm.Multiply(false, false, 3, 0, 3, 1.0, new double[9], 3, [], 1, 0.0, [], 1);
    }

    [Fact]
    public void Concurrent_calls_on_different_C_give_the_same_bits_as_sequential_ones()
    {
        var rng = new System.Random(4);
        int[] shapes = [5, 70, 130, 300];
        var inputs = shapes.Select(s => (A: Enumerable.Range(0, s * s).Select(_ => (float)rng.NextDouble()).ToArray(),
                                         B: Enumerable.Range(0, s * s).Select(_ => (float)rng.NextDouble()).ToArray())).ToArray();
        var sequential = shapes.Select((s, i) =>
        {
            var c = new float[s * s];
            Gemm.Multiply(false, true, s, s, s, 1f, inputs[i].A, s, inputs[i].B, s, 0f, c, s);
            return c;
        }).ToArray();
        var results = new float[64][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            int i = t % shapes.Length, s = shapes[i];
            var c = new float[s * s];
            Gemm.Multiply(false, true, s, s, s, 1f, inputs[i].A, s, inputs[i].B, s, 0f, c, s);
            results[t] = c;
        });
        for (int t = 0; t < results.Length; t++)
            Assert.True(sequential[t % shapes.Length].AsSpan().SequenceEqual(results[t]));
    }

    [Fact]
    public void A_warmed_up_thread_multiplies_without_allocating()
    {
        const int s = 200;
        var a = new double[s * s];
        var b = new double[s * s];
        var c = new double[s * s];
        Gemm.Multiply(true, false, s, s, s, 1.0, a, s, b, s, 0.0, c, s);
        // The runtime itself may allocate a few bytes on this thread once (tiering a caller up, lazy
        // runtime state); a per-call allocation in the product would show in every round. So the test
        // asks for one clean round of three products out of five rounds.
        var perRound = new long[5];
        for (int round = 0; round < perRound.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int r = 0; r < 3; r++)
                Gemm.Multiply(true, false, s, s, s, 1.0, a, s, b, s, 0.0, c, s);
            perRound[round] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (perRound[round] == 0) return;
        }
        Assert.Fail($"every round of three products allocated: {string.Join(", ", perRound)} bytes.");
    }

    [Fact]
    public void Forcing_the_AVX2_kernel_without_FMA_hardware_is_refused()
    {
        if (Gemm.IsSupported(GemmKernel.Avx2)) return; // nothing to refuse on this machine
        Assert.Throws<PlatformNotSupportedException>(() => Gemm.Multiply(GemmKernel.Avx2, false, false, 1, 1, 1, 1f, [1f], 1, [1f], 1, 0f, new float[1], 1));
    }

    [Fact]
    public void Tiny_products_take_the_unpacked_loop_and_larger_ones_the_widest_register_kernel()
    {
        Assert.Equal(GemmKernel.Direct, Gemm.Choose(8, 8, 8));
        Assert.Equal(GemmKernel.Direct, Gemm.Choose(1, 1, 512));
        Assert.Equal(Gemm.BestKernel, Gemm.Choose(8, 8, 9));
        Assert.Equal(Gemm.BestKernel, Gemm.Choose(100_000, 100_000, 100_000)); // m·n·k overflows int, not long
        Assert.Equal(Gemm.BestKernel, Gemm.Choose(int.MaxValue, int.MaxValue, int.MaxValue)); // m·n·k overflows long
    }

    [Fact]
    public void The_kernel_follows_the_instruction_sets_the_runtime_allows()
    {
        var best = Gemm.BestKernel;
        Assert.True(Gemm.IsSupported(best));
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0") Assert.NotEqual(GemmKernel.Avx512, best);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
            Assert.Equal(GemmKernel.Scalar, best);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Equal(GemmKernel.Avx512, best);
        else if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported) Assert.Equal(GemmKernel.Avx2, best);
    }
}
