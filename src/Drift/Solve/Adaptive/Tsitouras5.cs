namespace Drift.Solve.Adaptive;

/// <summary>
/// Tsitouras 5(4) (Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first
/// column simplifying assumption", Comput. Math. Appl. 62, 2011; DifferentialEquations.jl's and
/// diffrax's Tsit5): seven stages, first same as last,
/// c = (0, 0.161, 0.327, 0.9, 0.98002554…, 1, 1), fifth-order solution ŷ = y + h Σ bⱼkⱼ,
/// k₇ = f(t + h, ŷ), embedded fourth-order error estimate err = h Σ (bⱼ − b̂ⱼ)kⱼ with b̂₇ = 1/66.
/// Dense output: Tsitouras' free fourth-order interpolant y(t + θh) = y + h Σ bⱼ(θ) kⱼ, with the
/// seven quartic weight polynomials bⱼ(θ) (bⱼ(1) = bⱼ). Stiffness: Hairer's test on stages 6 and 7
/// (both at t + h), stability boundary h|λ| ≈ 3.5.
/// </summary>
public readonly struct Tsitouras5 : IEmbeddedMethod
{
    private const double C2 = 0.161, C3 = 0.327, C4 = 0.9, C5 = 0.98002554090450968573;
    private const double A21 = 0.161;
    private const double A31 = -0.0084806554923569885444268742502307746751211773934;
    private const double A32 = 0.33548065549235698854442687425023077467512117739343;
    private const double A41 = 2.8971530571054934321304325941929387649248872877019;
    private const double A42 = -6.3594484899750748431481599123838256259527006474156;
    private const double A43 = 4.3622954328695814110177273181908868610278133597138;
    private const double A51 = 5.3258648284392566044288779208405113178364762530970;
    private const double A52 = -11.748883564062827877747170339785772961887441782599;
    private const double A53 = 7.4955393428898362083046047845643581556586791615182;
    private const double A54 = -0.092495066361755249256502079332071916113499834060295;
    private const double A61 = 5.8614554429464200286592514869826478903943376661648;
    private const double A62 = -12.920969317847109291706118681783359395417807519557;
    private const double A63 = 8.1593678985761586431804007945392534851819183211351;
    private const double A64 = -0.071584973281400997224530542525829738691272131473635;
    private const double A65 = -0.028269050394068382909003057212712241467176336268798;
    private const double B1 = 0.096460766818065229518167313165128763337119952381580;
    private const double B2 = 0.01;
    private const double B3 = 0.47988965041449957477524953229059651991304046219903;
    private const double B4 = 1.3790085741037418931922748218568727707564626430914;
    private const double B5 = -3.2900695154360806799010475857113638501156832908949;
    private const double B6 = 2.3247105240997739824153559183987657961090602332230;
    private const double E1 = 1.7800110522257714135846429e-03;
    private const double E2 = 8.1643445965674690638358424e-04;
    private const double E3 = -7.8808780102619952617759580e-03;
    private const double E4 = 1.4471100717326290663322652e-01;
    private const double E5 = -5.8235716545255522547108740e-01;
    private const double E6 = 4.5808210592918696679731738e-01;
    private const double E7 = -1.0 / 66.0;

    /// <inheritdoc/>
    public string Name => "tsit5";
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
    public double StabilityBoundary => 3.5;

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
        StageSum.Add(s, y, h * A21, k1);
        f.Evaluate(t + C2 * h, s, k2, 1);
        StageSum.Add(s, y, h * A31, k1, h * A32, k2);
        f.Evaluate(t + C3 * h, s, k3, 1);
        StageSum.Add(s, y, h * A41, k1, h * A42, k2, h * A43, k3);
        f.Evaluate(t + C4 * h, s, k4, 1);
        StageSum.Add(s, y, h * A51, k1, h * A52, k2, h * A53, k3, h * A54, k4);
        f.Evaluate(t + C5 * h, s, k5, 1);
        StageSum.Add(y6, y, h * A61, k1, h * A62, k2, h * A63, k3, h * A64, k4, h * A65, k5);
        f.Evaluate(t + h, y6, k6, 1);
        StageSum.Add(yNew, y, h * B1, k1, h * B2, k2, h * B3, k3, h * B4, k4, h * B5, k5, h * B6, k6);
        f.Evaluate(t + h, yNew, k7, 1);
        return ErrorNorm.Rms(y, yNew, rtol, atol,
            h * E1, k1, h * E2, k2, h * E3, k3, h * E4, k4, h * E5, k5, h * E6, k6, h * E7, k7);
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
        double t = theta, t2 = t * t;
        double b1 = -1.0530884977290216 * t * (t - 1.3299890189751412) * (t2 - 1.4364028541716351 * t + 0.7139816917074209);
        double b2 = 0.1017 * t2 * (t2 - 2.1966568338249754 * t + 1.2949852507374631);
        double b3 = 2.490627285651252793 * t2 * (t2 - 2.38535645472061657 * t + 1.57803468208092486);
        double b4 = -16.54810288924490272 * (t - 1.21712927295533244) * (t - 0.61620406037800089) * t2;
        double b5 = 47.37952196281928122 * (t - 1.203071208372362603) * (t - 0.658047292653547382) * t2;
        double b6 = -34.87065786149660974 * (t - 1.2) * (t - 2.0 / 3.0) * t2;
        double b7 = 2.5 * (t - 1.0) * (t - 0.6) * t2;
        StageSum.Add(result, y, h * b1, stages[..d], h * b2, stages.Slice(d, d), h * b3, stages.Slice(2 * d, d),
            h * b4, stages.Slice(3 * d, d), h * b5, stages.Slice(4 * d, d), h * b6, stages.Slice(5 * d, d), h * b7, stages.Slice(6 * d, d));
    }
}
