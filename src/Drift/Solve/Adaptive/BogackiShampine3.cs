namespace Drift.Solve.Adaptive;

/// <summary>
/// Bogacki–Shampine 3(2) (Bogacki &amp; Shampine 1989; MATLAB's ode23, scipy's RK23): four stages,
/// first same as last, c = (0, ½, ¾, 1),
/// k₂ = f(t + h/2, y + h k₁/2), k₃ = f(t + 3h/4, y + 3h k₂/4),
/// ŷ = y + h(2k₁/9 + k₂/3 + 4k₃/9), k₄ = f(t + h, ŷ);
/// embedded second-order error estimate err = h(5k₁/72 − k₂/12 − k₃/9 + k₄/8).
/// Dense output: the cubic Hermite interpolant through (y, k₁) and (ŷ, k₄), written as
/// y(t + θh) = y + h Σ bⱼ(θ) kⱼ with b₁ = θ − 4θ²/3 + 5θ³/9, b₂ = θ² − 2θ³/3,
/// b₃ = 4θ²/3 − 8θ³/9, b₄ = θ³ − θ² (third order, free). No stiffness estimate.
/// </summary>
public readonly struct BogackiShampine3 : IEmbeddedMethod
{
    /// <inheritdoc/>
    public string Name => "bs3";
    /// <inheritdoc/>
    public int Order => 3;
    /// <inheritdoc/>
    public int ErrorOrder => 2;
    /// <inheritdoc/>
    public int StageRows => 5;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 3;
    /// <inheritdoc/>
    public int EndpointRow => 3;
    /// <inheritdoc/>
    public bool EndpointInStep => true;
    /// <inheritdoc/>
    public int DenseEvaluations => 0;
    /// <inheritdoc/>
    public double StabilityBoundary => double.NaN;

    /// <inheritdoc/>
    public double Step<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, Span<double> yNew, Span<double> stages, double rtol, double atol)
        where TDrift : struct, IDrift
    {
        int d = y.Length;
        var k1 = stages[..d];
        var k2 = stages.Slice(d, d);
        var k3 = stages.Slice(2 * d, d);
        var k4 = stages.Slice(3 * d, d);
        var s = stages.Slice(4 * d, d);
        StageSum.Add(s, y, h * 0.5, k1);
        f.Evaluate(t + 0.5 * h, s, k2, 1);
        StageSum.Add(s, y, h * 0.75, k2);
        f.Evaluate(t + 0.75 * h, s, k3, 1);
        StageSum.Add(yNew, y, h * (2.0 / 9.0), k1, h * (1.0 / 3.0), k2, h * (4.0 / 9.0), k3);
        f.Evaluate(t + h, yNew, k4, 1);
        return ErrorNorm.Rms(y, yNew, rtol, atol,
            h * (5.0 / 72.0), k1, h * (-1.0 / 12.0), k2, h * (-1.0 / 9.0), k3, h * 0.125, k4);
    }

    /// <inheritdoc/>
    public double StiffnessEstimate(double h, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages) => double.NaN;

    /// <inheritdoc/>
    public void PrepareDense<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> stages)
        where TDrift : struct, IDrift
    {
    }

    /// <inheritdoc/>
    public void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> result)
    {
        int d = y.Length;
        double t2 = theta * theta, t3 = t2 * theta;
        double b1 = theta - 4.0 / 3.0 * t2 + 5.0 / 9.0 * t3;
        double b2 = t2 - 2.0 / 3.0 * t3;
        double b3 = 4.0 / 3.0 * t2 - 8.0 / 9.0 * t3;
        double b4 = t3 - t2;
        StageSum.Add(result, y, h * b1, stages[..d], h * b2, stages.Slice(d, d), h * b3, stages.Slice(2 * d, d), h * b4, stages.Slice(3 * d, d));
    }
}
