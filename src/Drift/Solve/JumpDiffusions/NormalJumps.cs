using Drift.Random;

namespace Drift.Solve.JumpDiffusions;

/// <summary>
/// Jumps at a constant rate λ that add a normal mark Y ~ N(μ, δ²) to one component: h(t, x, z) = z·e_c. On the log-price
/// this is Merton's (1976) jump part (log-normal price jumps, E[e^Y] = e^{μ + δ²/2}).
/// </summary>
public readonly struct NormalJumps : IJumps
{
    /// <summary>Creates the jumps.</summary>
    /// <param name="intensity">λ ≥ 0.</param>
    /// <param name="mean">μ.</param>
    /// <param name="stdDev">δ ≥ 0.</param>
    /// <param name="component">The component c that jumps.</param>
    /// <param name="dimension">State dimension d &gt; c.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public NormalJumps(double intensity, double mean, double stdDev, int component = 0, int dimension = 1)
    {
        JumpChecks.Validate(intensity, component, dimension);
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "the mean jump must be finite.");
        if (!(stdDev >= 0) || double.IsInfinity(stdDev)) throw new ArgumentOutOfRangeException(nameof(stdDev), stdDev, "the jump standard deviation must be finite and non-negative.");
        MaxIntensity = intensity;
        Mean = mean;
        StdDev = stdDev;
        Component = component;
        Dimension = dimension;
    }

    /// <inheritdoc/>
    public int Dimension { get; }
    /// <summary>λ (constant, so every candidate is a jump).</summary>
    public double MaxIntensity { get; }
    /// <summary>μ.</summary>
    public double Mean { get; }
    /// <summary>δ.</summary>
    public double StdDev { get; }
    /// <summary>c.</summary>
    public int Component { get; }

    /// <summary>λ.</summary>
    public double Intensity(double t, ReadOnlySpan<double> x) => MaxIntensity;

    /// <summary>x_c += μ + δZ.</summary>
    public void Jump(double t, Span<double> x, ref StepDraws marks) => x[Component] += Mean + StdDev * marks.NextNormal();
}
