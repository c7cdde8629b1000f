namespace Drift.Sampling.Targets;

/// <summary>
/// A banana (twisted Gaussian) in two dimensions, derived here as a change of variables: θ₁ ~ N(0, s²) and
/// θ₂ | θ₁ ~ N(b(θ₁² − s²), 1), so log π = −θ₁²/(2s²) − (θ₂ − b(θ₁² − s²))²/2 and the Jacobian of
/// (θ₁, θ₂) ↦ (θ₁, θ₂ − b(θ₁² − s²)) is 1. Exact moments: E θ₁ = E θ₂ = 0, Var θ₁ = s²,
/// Var θ₂ = 1 + b² Var θ₁² = 1 + 2b²s⁴, Cov(θ₁, θ₂) = b E θ₁³ = 0. Exact draws: θ₁ = s z₁, θ₂ = b(θ₁² − s²) + z₂.
/// </summary>
/// <param name="scale">s &gt; 0.</param>
/// <param name="bend">b.</param>
public readonly struct Banana(double scale, double bend) : ILogDensity
{
    /// <summary>s = 10, b = 0.03: the scales of Haario, Saksman &amp; Tamminen's (1999) "moderately twisted" Gaussian.</summary>
    public static Banana Haario() => new(10, 0.03);

    /// <summary>s.</summary>
    public double Scale { get; } = scale > 0 && double.IsFinite(scale) ? scale : throw new ArgumentOutOfRangeException(nameof(scale), scale, "must be finite and positive.");

    /// <summary>b.</summary>
    public double Bend { get; } = double.IsFinite(bend) ? bend : throw new ArgumentOutOfRangeException(nameof(bend), bend, "must be finite.");

    /// <inheritdoc/>
    public int Dimension => 2;

    /// <summary>Var θ₂ = 1 + 2b²s⁴.</summary>
    public double SecondVariance => 1 + 2 * Bend * Bend * Math.Pow(Scale, 4);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length;
        double s2 = Scale * Scale, b = Bend;
        for (int c = 0; c < n; c++)
        {
            double t1 = x[c], t2 = x[n + c], r = t2 - b * (t1 * t1 - s2);
            logDensity[c] = -0.5 * t1 * t1 / s2 - 0.5 * r * r;
            gradient[c] = -t1 / s2 + r * 2 * b * t1;
            gradient[n + c] = -r;
        }
    }
}
