using Drift.Random;

namespace Drift.Solve.JumpDiffusions;

/// <summary>
/// Jumps at a constant rate λ that add a double-exponential mark to one component (Kou 2002): Y has density
/// p·η₁e^{−η₁y} for y ≥ 0 and (1 − p)·η₂e^{η₂y} for y &lt; 0, so E[Y] = p/η₁ − (1 − p)/η₂,
/// E[Y²] = 2p/η₁² + 2(1 − p)/η₂² and, for η₁ &gt; 1, E[e^Y] = pη₁/(η₁ − 1) + (1 − p)η₂/(η₂ + 1).
/// Drawn by one uniform for the sign and one for the size (−ln U/η).
/// </summary>
public readonly struct DoubleExponentialJumps : IJumps
{
    /// <summary>Creates the jumps.</summary>
    /// <param name="intensity">λ ≥ 0.</param>
    /// <param name="upProbability">p ∈ [0, 1], the probability of an upward jump.</param>
    /// <param name="upRate">η₁ &gt; 0 (mean upward jump 1/η₁).</param>
    /// <param name="downRate">η₂ &gt; 0 (mean downward jump 1/η₂).</param>
    /// <param name="component">The component c that jumps.</param>
    /// <param name="dimension">State dimension d &gt; c.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public DoubleExponentialJumps(double intensity, double upProbability, double upRate, double downRate, int component = 0, int dimension = 1)
    {
        JumpChecks.Validate(intensity, component, dimension);
        if (!(upProbability >= 0 && upProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(upProbability), upProbability, "the probability of an upward jump must lie in [0, 1].");
        if (!(upRate > 0) || double.IsInfinity(upRate)) throw new ArgumentOutOfRangeException(nameof(upRate), upRate, "the upward rate eta1 must be positive and finite.");
        if (!(downRate > 0) || double.IsInfinity(downRate)) throw new ArgumentOutOfRangeException(nameof(downRate), downRate, "the downward rate eta2 must be positive and finite.");
        MaxIntensity = intensity;
        UpProbability = upProbability;
        UpRate = upRate;
        DownRate = downRate;
        Component = component;
        Dimension = dimension;
    }

    /// <inheritdoc/>
    public int Dimension { get; }
    /// <summary>λ (constant, so every candidate is a jump).</summary>
    public double MaxIntensity { get; }
    /// <summary>p.</summary>
    public double UpProbability { get; }
    /// <summary>η₁.</summary>
    public double UpRate { get; }
    /// <summary>η₂.</summary>
    public double DownRate { get; }
    /// <summary>c.</summary>
    public int Component { get; }

    /// <summary>E[Y] = p/η₁ − (1 − p)/η₂.</summary>
    public double MeanJump => UpProbability / UpRate - (1 - UpProbability) / DownRate;
    /// <summary>E[Y²] = 2p/η₁² + 2(1 − p)/η₂².</summary>
    public double SecondMomentJump => 2 * UpProbability / (UpRate * UpRate) + 2 * (1 - UpProbability) / (DownRate * DownRate);

    /// <summary>λ.</summary>
    public double Intensity(double t, ReadOnlySpan<double> x) => MaxIntensity;

    /// <summary>x_c += Y.</summary>
    public void Jump(double t, Span<double> x, ref StepDraws marks)
    {
        bool up = marks.NextUniform() < UpProbability;
        double size = -Math.Log(marks.NextUniform());
        x[Component] += up ? size / UpRate : -size / DownRate;
    }
}
