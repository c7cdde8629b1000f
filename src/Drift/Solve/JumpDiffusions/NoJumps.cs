using Drift.Random;

namespace Drift.Solve.JumpDiffusions;

/// <summary>No jumps: λ_max = 0. The type argument that makes a jump-aware loop a plain SDE loop (its jump code compiles away).</summary>
internal readonly struct NoJumps : IJumps
{
    /// <summary>Any dimension: never asked for.</summary>
    public int Dimension => 0;
    /// <summary>0.</summary>
    public double MaxIntensity => 0;
    /// <summary>0.</summary>
    public double Intensity(double t, ReadOnlySpan<double> x) => 0;
    /// <summary>Never called.</summary>
    public void Jump(double t, Span<double> x, ref StepDraws marks)
    {
    }
}
