namespace Drift.Solve.Adaptive;

/// <summary>
/// Dormand–Prince 5(4) (Dormand &amp; Prince 1980; Hairer's DOPRI5, MATLAB's ode45, scipy's RK45):
/// seven stages, first same as last, c = (0, 1/5, 3/10, 4/5, 8/9, 1, 1), fifth-order solution
/// ŷ = y + h(35k₁/384 + 500k₃/1113 + 125k₄/192 − 2187k₅/6784 + 11k₆/84), k₇ = f(t + h, ŷ), and the
/// embedded fourth-order error estimate err = h Σ eⱼkⱼ with
/// e = (71/57600, 0, −71/16695, 71/1920, −17253/339200, 22/525, −1/40).
/// Dense output: Shampine's (1986) fourth-order continuous extension
/// y(t + θh) = y + h Σⱼ kⱼ Σₘ P_{jm} θ^{m+1} (free: it uses the seven stages only).
/// Stiffness: Hairer's test on stages 6 and 7 (both at t + h), stability boundary h|λ| ≈ 3.3.
/// </summary>
public readonly struct DormandPrince5 : IEmbeddedMethod
{
    /// <inheritdoc/>
    public string Name => "dopri5";
    /// <inheritdoc/>
    public int Order => 5;
    /// <inheritdoc/>
    public int ErrorOrder => 4;
    /// <inheritdoc/>
    public int StageRows => 9;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 6;
    /// <inheritdoc/>
    public int EndpointRow => 6;
    /// <inheritdoc/>
    public bool EndpointInStep => true;
    /// <inheritdoc/>
    public int DenseEvaluations => 0;
    /// <inheritdoc/>
    public double StabilityBoundary => 3.3;

    /// <inheritdoc/>
    public double Step<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, Span<double> yNew, Span<double> stages, double rtol, double atol)
        where TDrift : struct, IDrift
    {
        int d = y.Length;
        var k1 = stages[..d];
        var k2 = stages.Slice(d, d);
        var k3 = stages.Slice(2 * d, d);
        var k4 = stages.Slice(3 * d, d);
        var k5 = stages.Slice(4 * d, d);
        var k6 = stages.Slice(5 * d, d);
        var k7 = stages.Slice(6 * d, d);
        var s = stages.Slice(7 * d, d);
        var y6 = stages.Slice(8 * d, d);
        StageSum.Add(s, y, h * (1.0 / 5.0), k1);
        f.Evaluate(t + h * (1.0 / 5.0), s, k2, 1);
        StageSum.Add(s, y, h * (3.0 / 40.0), k1, h * (9.0 / 40.0), k2);
        f.Evaluate(t + h * (3.0 / 10.0), s, k3, 1);
        StageSum.Add(s, y, h * (44.0 / 45.0), k1, h * (-56.0 / 15.0), k2, h * (32.0 / 9.0), k3);
        f.Evaluate(t + h * (4.0 / 5.0), s, k4, 1);
        StageSum.Add(s, y, h * (19372.0 / 6561.0), k1, h * (-25360.0 / 2187.0), k2, h * (64448.0 / 6561.0), k3, h * (-212.0 / 729.0), k4);
        f.Evaluate(t + h * (8.0 / 9.0), s, k5, 1);
        StageSum.Add(y6, y, h * (9017.0 / 3168.0), k1, h * (-355.0 / 33.0), k2, h * (46732.0 / 5247.0), k3, h * (49.0 / 176.0), k4, h * (-5103.0 / 18656.0), k5);
        f.Evaluate(t + h, y6, k6, 1);
        StageSum.Add(yNew, y, h * (35.0 / 384.0), k1, h * (500.0 / 1113.0), k3, h * (125.0 / 192.0), k4, h * (-2187.0 / 6784.0), k5, h * (11.0 / 84.0), k6);
        f.Evaluate(t + h, yNew, k7, 1);
        return ErrorNorm.Rms(y, yNew, rtol, atol,
            h * (71.0 / 57600.0), k1, h * (-71.0 / 16695.0), k3, h * (71.0 / 1920.0), k4,
            h * (-17253.0 / 339200.0), k5, h * (22.0 / 525.0), k6, h * (-1.0 / 40.0), k7);
    }

    /// <inheritdoc/>
    public double StiffnessEstimate(double h, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages)
    {
        int d = yNew.Length;
        return ErrorNorm.Stiffness(h, stages.Slice(6 * d, d), stages.Slice(5 * d, d), yNew, stages.Slice(8 * d, d));
    }

    /// <inheritdoc/>
    public void PrepareDense<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> stages)
        where TDrift : struct, IDrift
    {
    }

    /// <inheritdoc/>
    public void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> result)
    {
        int d = y.Length;
        double t1 = theta, t2 = theta * theta, t3 = t2 * theta, t4 = t3 * theta;
        double b1 = t1 - 8048581381.0 / 2820520608.0 * t2 + 8663915743.0 / 2820520608.0 * t3 - 12715105075.0 / 11282082432.0 * t4;
        double b3 = 131558114200.0 / 32700410799.0 * t2 - 68118460800.0 / 10900136933.0 * t3 + 87487479700.0 / 32700410799.0 * t4;
        double b4 = -1754552775.0 / 470086768.0 * t2 + 14199869525.0 / 1410260304.0 * t3 - 10690763975.0 / 1880347072.0 * t4;
        double b5 = 127303824393.0 / 49829197408.0 * t2 - 318862633887.0 / 49829197408.0 * t3 + 701980252875.0 / 199316789632.0 * t4;
        double b6 = -282668133.0 / 205662961.0 * t2 + 2019193451.0 / 616988883.0 * t3 - 1453857185.0 / 822651844.0 * t4;
        double b7 = 40617522.0 / 29380423.0 * t2 - 110615467.0 / 29380423.0 * t3 + 69997945.0 / 29380423.0 * t4;
        StageSum.Add(result, y, h * b1, stages[..d], h * b3, stages.Slice(2 * d, d), h * b4, stages.Slice(3 * d, d),
            h * b5, stages.Slice(4 * d, d), h * b6, stages.Slice(5 * d, d), h * b7, stages.Slice(6 * d, d));
    }
}
