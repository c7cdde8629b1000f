namespace Drift.Sampling;

/// <summary>A point of phase space: position q, momentum p, ∇log π(q) and log π(q).</summary>
internal sealed class PhasePoint(int dimension)
{
    public readonly double[] Q = new double[dimension], P = new double[dimension], Gradient = new double[dimension];
    public double LogDensity;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void CopyFrom(PhasePoint other)
    {
        other.Q.CopyTo(Q, 0);
        other.P.CopyTo(P, 0);
        other.Gradient.CopyTo(Gradient, 0);
        LogDensity = other.LogDensity;
    }
}
