using Drift.Numerics;
using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// Rodas5P (Steinebach 2023, "Construction of Rosenbrock–Wanner method Rodas5P and numerical benchmarks within the
/// Julia Differential Equations package", BIT 63:27): an 8-stage, order-5 L-stable and stiffly accurate Rosenbrock
/// method with an order-4 embedded solution and a fourth-order dense output, re-fitted from Di Marzo's RODAS5 for a
/// better error estimate and interpolant on Prothero–Robinson-type problems. With W = I/(γh) − J, γ ≈ 0.2119 and
/// increments kᵢ: W kᵢ = f(t + cᵢh, y + Σⱼ aᵢⱼkⱼ) + Σⱼ (Cᵢⱼ/h)kⱼ + h dᵢ ∂f/∂t, c = (0, 3γ, c₃, c₄, c₅, 1, 1, 1),
/// d₆ = d₇ = d₈ = 0. Stages 6–8 are taken at t + h on the running sums u₆ = y + Σⱼ a₆ⱼkⱼ, u₇ = u₆ + k₆,
/// u₈ = u₇ + k₇ (the embedded solution), y_new = u₈ + k₈ and the error estimate is k₈.
/// Dense output (order 4): y(t + θh) = (1 − θ)y + θ[y_new + (1 − θ)(q₁ + θ(q₂ + θq₃))] with q_m = Σⱼ h_{m+1,j}kⱼ.
/// Coefficients (aᵢⱼ, Cᵢⱼ, cᵢ, dᵢ, hᵢⱼ) as printed in OrdinaryDiffEq.jl's <c>Rodas5PTableau</c>
/// (src/tableaus/rosenbrock_tableaus.jl, SciML), which reproduces the paper's Table.
/// </summary>
public readonly struct Rodas5P : IRosenbrockMethod
{
    private const double G = 0.21193756319429014;
    private const double A21 = 3.0, A31 = 2.849394379747939, A32 = 0.45842242204463923;
    private const double A41 = -6.954028509809101, A42 = 2.489845061869568, A43 = -10.358996098473584;
    private const double A51 = 2.8029986275628964, A52 = 0.5072464736228206, A53 = -0.3988312541770524, A54 = -0.04721187230404641;
    private const double A61 = -7.502846399306121, A62 = 2.561846144803919, A63 = -11.627539656261098, A64 = -0.18268767659942256, A65 = 0.030198172008377946;
    private const double C21 = -14.155112264123755, C31 = -17.97296035885952, C32 = -2.859693295451294;
    private const double C41 = 147.12150275711716, C42 = -1.41221402718213, C43 = 71.68940251302358;
    private const double C51 = 165.43517024871676, C52 = -0.4592823456491126, C53 = 42.90938336958603, C54 = -5.961986721573306;
    private const double C61 = 24.854864614690072, C62 = -3.0009227002832186, C63 = 47.4931110020768, C64 = 5.5814197821558125, C65 = -0.6610691825249471;
    private const double C71 = 30.91273214028599, C72 = -3.1208243349937974, C73 = 77.79954646070892, C74 = 34.28646028294783, C75 = -19.097331116725623, C76 = -28.087943162872662;
    private const double C81 = 37.80277123390563, C82 = -3.2571969029072276, C83 = 112.26918849496327, C84 = 66.9347231244047, C85 = -40.06618937091002, C86 = -54.66780262877968, C87 = -9.48861652309627;
    private const double Ca2 = 0.6358126895828704, Ca3 = 0.4095798393397535, Ca4 = 0.9769306725060716, Ca5 = 0.4288403609558664;
    private const double D1 = 0.21193756319429014, D2 = -0.42387512638858027, D3 = -0.3384627126235924, D4 = 1.8046452872882734, D5 = 2.325825639765069;
    private static readonly double[] H =
    [
        25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204, 0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493,
        -9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796, 20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372,
        11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643, -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722,
    ];

    /// <inheritdoc/>
    public string Name => "rodas5p";
    /// <inheritdoc/>
    public int Order => 5;
    /// <inheritdoc/>
    public int ErrorOrder => 4;
    /// <inheritdoc/>
    public double Gamma => G;
    /// <inheritdoc/>
    public int StageRows => 8;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 7;
    /// <inheritdoc/>
    public OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift
        => StiffOde.Solve(problem, this, options);

    /// <inheritdoc/>
    public bool EndpointInStep => false;

    /// <inheritdoc/>
    public void Step<TDrift>(ref TDrift f, ILinearSolver w, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> f0, ReadOnlySpan<double> dfdt,
        Span<double> yNew, Span<double> error, Span<double> endpoint, Span<double> stages, Span<double> scratch)
        where TDrift : struct, IDrift
    {
        int n = y.Length;
        double ih = 1.0 / h;
        var k1 = stages[..n];
        var k2 = stages.Slice(n, n);
        var k3 = stages.Slice(2 * n, n);
        var k4 = stages.Slice(3 * n, n);
        var k5 = stages.Slice(4 * n, n);
        var k6 = stages.Slice(5 * n, n);
        var k7 = stages.Slice(6 * n, n);
        var k8 = stages.Slice(7 * n, n);
        var u = scratch[..n];
        var fu = scratch.Slice(n, n);

        for (int i = 0; i < n; i++) k1[i] = f0[i] + h * D1 * dfdt[i];
        w.Solve(k1);

        for (int i = 0; i < n; i++) u[i] = y[i] + A21 * k1[i];
        f.Evaluate(t + Ca2 * h, u, fu, 1);
        for (int i = 0; i < n; i++) k2[i] = fu[i] + C21 * ih * k1[i] + h * D2 * dfdt[i];
        w.Solve(k2);

        for (int i = 0; i < n; i++) u[i] = y[i] + A31 * k1[i] + A32 * k2[i];
        f.Evaluate(t + Ca3 * h, u, fu, 1);
        for (int i = 0; i < n; i++) k3[i] = fu[i] + ih * (C31 * k1[i] + C32 * k2[i]) + h * D3 * dfdt[i];
        w.Solve(k3);

        for (int i = 0; i < n; i++) u[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i];
        f.Evaluate(t + Ca4 * h, u, fu, 1);
        for (int i = 0; i < n; i++) k4[i] = fu[i] + ih * (C41 * k1[i] + C42 * k2[i] + C43 * k3[i]) + h * D4 * dfdt[i];
        w.Solve(k4);

        for (int i = 0; i < n; i++) u[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i];
        f.Evaluate(t + Ca5 * h, u, fu, 1);
        for (int i = 0; i < n; i++) k5[i] = fu[i] + ih * (C51 * k1[i] + C52 * k2[i] + C53 * k3[i] + C54 * k4[i]) + h * D5 * dfdt[i];
        w.Solve(k5);

        for (int i = 0; i < n; i++) u[i] = y[i] + A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i];
        f.Evaluate(t + h, u, fu, 1);
        for (int i = 0; i < n; i++) k6[i] = fu[i] + ih * (C61 * k1[i] + C62 * k2[i] + C63 * k3[i] + C64 * k4[i] + C65 * k5[i]);
        w.Solve(k6);

        for (int i = 0; i < n; i++) u[i] += k6[i];
        f.Evaluate(t + h, u, fu, 1);
        for (int i = 0; i < n; i++) k7[i] = fu[i] + ih * (C71 * k1[i] + C72 * k2[i] + C73 * k3[i] + C74 * k4[i] + C75 * k5[i] + C76 * k6[i]);
        w.Solve(k7);

        for (int i = 0; i < n; i++) u[i] += k7[i];
        f.Evaluate(t + h, u, fu, 1);
        for (int i = 0; i < n; i++) k8[i] = fu[i] + ih * (C81 * k1[i] + C82 * k2[i] + C83 * k3[i] + C84 * k4[i] + C85 * k5[i] + C86 * k6[i] + C87 * k7[i]);
        w.Solve(k8);
        for (int i = 0; i < n; i++)
        {
            yNew[i] = u[i] + k8[i];
            error[i] = k8[i];
        }
    }

    /// <inheritdoc/>
    public void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> output)
    {
        int n = y.Length;
        var hc = H;
        for (int i = 0; i < n; i++)
        {
            double q1 = 0, q2 = 0, q3 = 0;
            for (int j = 0; j < 8; j++)
            {
                double k = stages[j * n + i];
                q1 += hc[j] * k;
                q2 += hc[8 + j] * k;
                q3 += hc[16 + j] * k;
            }
            output[i] = (1 - theta) * y[i] + theta * (yNew[i] + (1 - theta) * (q1 + theta * (q2 + theta * q3)));
        }
    }
}
