namespace Drift.Numerics;

/// <summary>The register width a GEMM runs on; <see cref="Gemm"/> picks the widest the runtime accelerates.</summary>
internal enum GemmKernel
{
    /// <summary>One element per register, scalar fused multiply-add: runs everywhere.</summary>
    Scalar,

    /// <summary>Vector256 with FMA3: 6×16 float and 6×8 double register tiles.</summary>
    Avx2,

    /// <summary>Vector512 with AVX-512F: 6×32 float and 6×16 double register tiles.</summary>
    Avx512,
}
