namespace Drift.Sampling;

/// <summary>A point of phase space: position q, momentum p, ∇log π(q) and log π(q).</summary>
internal sealed class PhasePoint(int dimension)
{
    public readonly double[] Q = new double[dimension], P = new double[dimension], Gradient = new double[dimension];
    public double LogDensity;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void CopyFrom(PhasePoint other)
    {
        // Span copies (Buffer.Memmove), not Array.CopyTo(Array, int), whose rank and lower-bound checks cost more than
        // copying d doubles; not inlined, since NUTS copies phase points at many sites and inlined copies made its
        // machine code (and its JIT compilation, a large part of a short run) several times larger.
        other.Q.AsSpan().CopyTo(Q);
        other.P.AsSpan().CopyTo(P);
        other.Gradient.AsSpan().CopyTo(Gradient);
        LogDensity = other.LogDensity;
    }
}
