namespace Drift.Numerics;

/// <summary>
/// How a GEMM runs: <see cref="Gemm"/> takes <see cref="Direct"/> for tiny products and otherwise the widest
/// register kernel the runtime accelerates. All of them give the same bits.
/// </summary>
internal enum GemmKernel
{
    /// <summary>No packing, a scalar fused multiply-add triple loop: what <see cref="Gemm"/> uses for tiny products.</summary>
    Direct,

    /// <summary>One element per register, scalar fused multiply-add: runs everywhere.</summary>
    Scalar,

    /// <summary>Vector256 with FMA3: 6×16 float and 6×8 double register tiles.</summary>
    Avx2,

    /// <summary>Vector512 with AVX-512F: 6×32 float and 6×16 double register tiles.</summary>
    Avx512,
}
