namespace Drift.Solve.Adaptive;

/// <summary>
/// Dormand–Prince 8(5,3) as arranged by Hairer (DOP853; Hairer, Nørsett &amp; Wanner, Solving ODEs I,
/// §II.10): twelve stages per step, an eighth-order solution ŷ = y + h Σ bⱼkⱼ, and Hairer's
/// combined error estimate from the fifth- and third-order embedded solutions,
/// err = |h|·‖e₅‖² / √(‖e₅‖² + 0.01‖e₃‖²) with e₅ = Σ E5ⱼkⱼ, e₃ = Σ E3ⱼkⱼ scaled component-wise by
/// atol + rtol·max(|yᵢ|, |ŷᵢ|) and RMS-normalised (it behaves like O(h⁸), so q = 7).
/// f(t + h, ŷ) is evaluated only for accepted steps. Dense output: the seventh-order continuous
/// extension, which costs three extra evaluations per step that needs it:
/// y(t + θh) = y + θ(F₀ + (1−θ)(F₁ + θ(F₂ + (1−θ)(F₃ + θ(F₄ + (1−θ)(F₅ + θF₆)))))), F₀ = ŷ − y,
/// F₁ = hk₁ − F₀, F₂ = 2F₀ − h(k₁ + f(t + h, ŷ)), F₃…F₆ = h Σ Dₘⱼkⱼ. Stiffness: Hairer's test on
/// stage 12 and f(t + h, ŷ) (both at t + h), stability boundary h|λ| ≈ 6.1.
/// </summary>
public readonly struct DormandPrince853 : IEmbeddedMethod
{
    // Tableau of Dormand & Prince / Hairer (DOP853), as tabulated in Hairer's dop853.f and scipy's dop853_coefficients.py.
    private const double C1 = 0.526001519587677318785587544488e-01;
    private const double C2 = 0.789002279381515978178381316732e-01;
    private const double C3 = 0.118350341907227396726757197510;
    private const double C4 = 0.281649658092772603273242802490;
    private const double C5 = 0.333333333333333333333333333333;
    private const double C6 = 0.25;
    private const double C7 = 0.307692307692307692307692307692;
    private const double C8 = 0.651282051282051282051282051282;
    private const double C9 = 0.6;
    private const double C10 = 0.857142857142857142857142857142;
    private const double C11 = 1.0;
    private const double C13 = 0.1;
    private const double C14 = 0.2;
    private const double C15 = 0.777777777777777777777777777778;
    private const double A1_0 = 5.26001519587677318785587544488e-2;
    private const double A2_0 = 1.97250569845378994544595329183e-2;
    private const double A2_1 = 5.91751709536136983633785987549e-2;
    private const double A3_0 = 2.95875854768068491816892993775e-2;
    private const double A3_2 = 8.87627564304205475450678981324e-2;
    private const double A4_0 = 2.41365134159266685502369798665e-1;
    private const double A4_2 = -8.84549479328286085344864962717e-1;
    private const double A4_3 = 9.24834003261792003115737966543e-1;
    private const double A5_0 = 3.7037037037037037037037037037e-2;
    private const double A5_3 = 1.70828608729473871279604482173e-1;
    private const double A5_4 = 1.25467687566822425016691814123e-1;
    private const double A6_0 = 3.7109375e-2;
    private const double A6_3 = 1.70252211019544039314978060272e-1;
    private const double A6_4 = 6.02165389804559606850219397283e-2;
    private const double A6_5 = -1.7578125e-2;
    private const double A7_0 = 3.70920001185047927108779319836e-2;
    private const double A7_3 = 1.70383925712239993810214054705e-1;
    private const double A7_4 = 1.07262030446373284651809199168e-1;
    private const double A7_5 = -1.53194377486244017527936158236e-2;
    private const double A7_6 = 8.27378916381402288758473766002e-3;
    private const double A8_0 = 6.24110958716075717114429577812e-1;
    private const double A8_3 = -3.36089262944694129406857109825;
    private const double A8_4 = -8.68219346841726006818189891453e-1;
    private const double A8_5 = 2.75920996994467083049415600797e1;
    private const double A8_6 = 2.01540675504778934086186788979e1;
    private const double A8_7 = -4.34898841810699588477366255144e1;
    private const double A9_0 = 4.77662536438264365890433908527e-1;
    private const double A9_3 = -2.48811461997166764192642586468;
    private const double A9_4 = -5.90290826836842996371446475743e-1;
    private const double A9_5 = 2.12300514481811942347288949897e1;
    private const double A9_6 = 1.52792336328824235832596922938e1;
    private const double A9_7 = -3.32882109689848629194453265587e1;
    private const double A9_8 = -2.03312017085086261358222928593e-2;
    private const double A10_0 = -9.3714243008598732571704021658e-1;
    private const double A10_3 = 5.18637242884406370830023853209;
    private const double A10_4 = 1.09143734899672957818500254654;
    private const double A10_5 = -8.14978701074692612513997267357;
    private const double A10_6 = -1.85200656599969598641566180701e1;
    private const double A10_7 = 2.27394870993505042818970056734e1;
    private const double A10_8 = 2.49360555267965238987089396762;
    private const double A10_9 = -3.0467644718982195003823669022;
    private const double A11_0 = 2.27331014751653820792359768449;
    private const double A11_3 = -1.05344954667372501984066689879e1;
    private const double A11_4 = -2.00087205822486249909675718444;
    private const double A11_5 = -1.79589318631187989172765950534e1;
    private const double A11_6 = 2.79488845294199600508499808837e1;
    private const double A11_7 = -2.85899827713502369474065508674;
    private const double A11_8 = -8.87285693353062954433549289258;
    private const double A11_9 = 1.23605671757943030647266201528e1;
    private const double A11_10 = 6.43392746015763530355970484046e-1;
    private const double A13_0 = 5.61675022830479523392909219681e-2;
    private const double A13_6 = 2.53500210216624811088794765333e-1;
    private const double A13_7 = -2.46239037470802489917441475441e-1;
    private const double A13_8 = -1.24191423263816360469010140626e-1;
    private const double A13_9 = 1.5329179827876569731206322685e-1;
    private const double A13_10 = 8.20105229563468988491666602057e-3;
    private const double A13_11 = 7.56789766054569976138603589584e-3;
    private const double A13_12 = -8.298e-3;
    private const double A14_0 = 3.18346481635021405060768473261e-2;
    private const double A14_5 = 2.83009096723667755288322961402e-2;
    private const double A14_6 = 5.35419883074385676223797384372e-2;
    private const double A14_7 = -5.49237485713909884646569340306e-2;
    private const double A14_10 = -1.08347328697249322858509316994e-4;
    private const double A14_11 = 3.82571090835658412954920192323e-4;
    private const double A14_12 = -3.40465008687404560802977114492e-4;
    private const double A14_13 = 1.41312443674632500278074618366e-1;
    private const double A15_0 = -4.28896301583791923408573538692e-1;
    private const double A15_5 = -4.69762141536116384314449447206;
    private const double A15_6 = 7.68342119606259904184240953878;
    private const double A15_7 = 4.06898981839711007970213554331;
    private const double A15_8 = 3.56727187455281109270669543021e-1;
    private const double A15_12 = -1.39902416515901462129418009734e-3;
    private const double A15_13 = 2.9475147891527723389556272149;
    private const double A15_14 = -9.15095847217987001081870187138;
    private const double B0 = 5.42937341165687622380535766363e-2;
    private const double B5 = 4.45031289275240888144113950566;
    private const double B6 = 1.89151789931450038304281599044;
    private const double B7 = -5.8012039600105847814672114227;
    private const double B8 = 3.1116436695781989440891606237e-1;
    private const double B9 = -1.52160949662516078556178806805e-1;
    private const double B10 = 2.01365400804030348374776537501e-1;
    private const double B11 = 4.47106157277725905176885569043e-2;
    private const double E3_0 = B0 - 0.244094488188976377952755905512;
    private const double E3_5 = B5;
    private const double E3_6 = B6;
    private const double E3_7 = B7;
    private const double E3_8 = B8 - 0.733846688281611857341361741547;
    private const double E3_9 = B9;
    private const double E3_10 = B10;
    private const double E3_11 = B11 - 0.220588235294117647058823529412e-1;
    private const double E5_0 = 0.1312004499419488073250102996e-1;
    private const double E5_5 = -0.1225156446376204440720569753e+1;
    private const double E5_6 = -0.4957589496572501915214079952;
    private const double E5_7 = 0.1664377182454986536961530415e+1;
    private const double E5_8 = -0.3503288487499736816886487290;
    private const double E5_9 = 0.3341791187130174790297318841;
    private const double E5_10 = 0.8192320648511571246570742613e-1;
    private const double E5_11 = -0.2235530786388629525884427845e-1;
    private const double D0_0 = -0.84289382761090128651353491142e+1;
    private const double D0_5 = 0.56671495351937776962531783590;
    private const double D0_6 = -0.30689499459498916912797304727e+1;
    private const double D0_7 = 0.23846676565120698287728149680e+1;
    private const double D0_8 = 0.21170345824450282767155149946e+1;
    private const double D0_9 = -0.87139158377797299206789907490;
    private const double D0_10 = 0.22404374302607882758541771650e+1;
    private const double D0_11 = 0.63157877876946881815570249290;
    private const double D0_12 = -0.88990336451333310820698117400e-1;
    private const double D0_13 = 0.18148505520854727256656404962e+2;
    private const double D0_14 = -0.91946323924783554000451984436e+1;
    private const double D0_15 = -0.44360363875948939664310572000e+1;
    private const double D1_0 = 0.10427508642579134603413151009e+2;
    private const double D1_5 = 0.24228349177525818288430175319e+3;
    private const double D1_6 = 0.16520045171727028198505394887e+3;
    private const double D1_7 = -0.37454675472269020279518312152e+3;
    private const double D1_8 = -0.22113666853125306036270938578e+2;
    private const double D1_9 = 0.77334326684722638389603898808e+1;
    private const double D1_10 = -0.30674084731089398182061213626e+2;
    private const double D1_11 = -0.93321305264302278729567221706e+1;
    private const double D1_12 = 0.15697238121770843886131091075e+2;
    private const double D1_13 = -0.31139403219565177677282850411e+2;
    private const double D1_14 = -0.93529243588444783865713862664e+1;
    private const double D1_15 = 0.35816841486394083752465898540e+2;
    private const double D2_0 = 0.19985053242002433820987653617e+2;
    private const double D2_5 = -0.38703730874935176555105901742e+3;
    private const double D2_6 = -0.18917813819516756882830838328e+3;
    private const double D2_7 = 0.52780815920542364900561016686e+3;
    private const double D2_8 = -0.11573902539959630126141871134e+2;
    private const double D2_9 = 0.68812326946963000169666922661e+1;
    private const double D2_10 = -0.10006050966910838403183860980e+1;
    private const double D2_11 = 0.77771377980534432092869265740;
    private const double D2_12 = -0.27782057523535084065932004339e+1;
    private const double D2_13 = -0.60196695231264120758267380846e+2;
    private const double D2_14 = 0.84320405506677161018159903784e+2;
    private const double D2_15 = 0.11992291136182789328035130030e+2;
    private const double D3_0 = -0.25693933462703749003312586129e+2;
    private const double D3_5 = -0.15418974869023643374053993627e+3;
    private const double D3_6 = -0.23152937917604549567536039109e+3;
    private const double D3_7 = 0.35763911791061412378285349910e+3;
    private const double D3_8 = 0.93405324183624310003907691704e+2;
    private const double D3_9 = -0.37458323136451633156875139351e+2;
    private const double D3_10 = 0.10409964950896230045147246184e+3;
    private const double D3_11 = 0.29840293426660503123344363579e+2;
    private const double D3_12 = -0.43533456590011143754432175058e+2;
    private const double D3_13 = 0.96324553959188282948394950600e+2;
    private const double D3_14 = -0.39177261675615439165231486172e+2;
    private const double D3_15 = -0.14972683625798562581422125276e+3;

    /// <inheritdoc/>
    public string Name => "dop853";
    /// <inheritdoc/>
    public int Order => 8;
    /// <inheritdoc/>
    public int ErrorOrder => 7;
    /// <inheritdoc/>
    public int StageRows => 25;
    /// <inheritdoc/>
    public int EvaluationsPerStep => 11;
    /// <inheritdoc/>
    public int EndpointRow => 12;
    /// <inheritdoc/>
    public bool EndpointInStep => false;
    /// <inheritdoc/>
    public int DenseEvaluations => 3;
    /// <inheritdoc/>
    public double StabilityBoundary => 6.1;

    /// <inheritdoc/>
    public double Step<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, Span<double> yNew, Span<double> stages, double rtol, double atol)
        where TDrift : struct, IDrift
    {
        int d = y.Length;
        var k0 = stages.Slice(0 * d, d);
        var k1 = stages.Slice(1 * d, d);
        var k2 = stages.Slice(2 * d, d);
        var k3 = stages.Slice(3 * d, d);
        var k4 = stages.Slice(4 * d, d);
        var k5 = stages.Slice(5 * d, d);
        var k6 = stages.Slice(6 * d, d);
        var k7 = stages.Slice(7 * d, d);
        var k8 = stages.Slice(8 * d, d);
        var k9 = stages.Slice(9 * d, d);
        var k10 = stages.Slice(10 * d, d);
        var k11 = stages.Slice(11 * d, d);
        var s = stages.Slice(16 * d, d);
        var y12 = stages.Slice(17 * d, d);
        StageSum.Add(s, y, h * A1_0, k0);
        f.Evaluate(t + C1 * h, s, k1, 1);
        StageSum.Add(s, y, h * A2_0, k0, h * A2_1, k1);
        f.Evaluate(t + C2 * h, s, k2, 1);
        StageSum.Add(s, y, h * A3_0, k0, h * A3_2, k2);
        f.Evaluate(t + C3 * h, s, k3, 1);
        StageSum.Add(s, y, h * A4_0, k0, h * A4_2, k2, h * A4_3, k3);
        f.Evaluate(t + C4 * h, s, k4, 1);
        StageSum.Add(s, y, h * A5_0, k0, h * A5_3, k3, h * A5_4, k4);
        f.Evaluate(t + C5 * h, s, k5, 1);
        StageSum.Add(s, y, h * A6_0, k0, h * A6_3, k3, h * A6_4, k4, h * A6_5, k5);
        f.Evaluate(t + C6 * h, s, k6, 1);
        StageSum.Add(s, y, h * A7_0, k0, h * A7_3, k3, h * A7_4, k4, h * A7_5, k5, h * A7_6, k6);
        f.Evaluate(t + C7 * h, s, k7, 1);
        StageSum.Add(s, y, h * A8_0, k0, h * A8_3, k3, h * A8_4, k4, h * A8_5, k5, h * A8_6, k6, h * A8_7, k7);
        f.Evaluate(t + C8 * h, s, k8, 1);
        StageSum.Add(s, y, h * A9_0, k0, h * A9_3, k3, h * A9_4, k4, h * A9_5, k5, h * A9_6, k6, h * A9_7, k7, h * A9_8, k8);
        f.Evaluate(t + C9 * h, s, k9, 1);
        StageSum.Add(s, y, h * A10_0, k0, h * A10_3, k3, h * A10_4, k4, h * A10_5, k5, h * A10_6, k6, h * A10_7, k7, h * A10_8, k8, h * A10_9, k9);
        f.Evaluate(t + C10 * h, s, k10, 1);
        StageSum.Add(y12, y, h * A11_0, k0, h * A11_3, k3, h * A11_4, k4, h * A11_5, k5, h * A11_6, k6, h * A11_7, k7, h * A11_8, k8, h * A11_9, k9, h * A11_10, k10);
        f.Evaluate(t + C11 * h, y12, k11, 1);
        StageSum.Add(yNew, y, h * B0, k0, h * B5, k5, h * B6, k6, h * B7, k7, h * B8, k8, h * B9, k9, h * B10, k10, h * B11, k11);
        double err5 = 0, err3 = 0;
        for (int i = 0; i < d; i++)
        {
            double scale = ErrorNorm.Scale(atol, rtol, y[i], yNew[i]);
            double e5 = (E5_0 * k0[i] + E5_5 * k5[i] + E5_6 * k6[i] + E5_7 * k7[i] + E5_8 * k8[i] + E5_9 * k9[i] + E5_10 * k10[i] + E5_11 * k11[i]) / scale;
            double e3 = (E3_0 * k0[i] + E3_5 * k5[i] + E3_6 * k6[i] + E3_7 * k7[i] + E3_8 * k8[i] + E3_9 * k9[i] + E3_10 * k10[i] + E3_11 * k11[i]) / scale;
            err5 += e5 * e5;
            err3 += e3 * e3;
        }
        if (err5 == 0 && err3 == 0) return 0;
        return Math.Abs(h) * err5 / Math.Sqrt((err5 + 0.01 * err3) * d);
    }

    /// <inheritdoc/>
    public double StiffnessEstimate(double h, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages)
    {
        int d = yNew.Length;
        return ErrorNorm.Stiffness(h, stages.Slice(12 * d, d), stages.Slice(11 * d, d), yNew, stages.Slice(17 * d, d));
    }

    /// <inheritdoc/>
    public void PrepareDense<TDrift>(ref TDrift f, double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> stages)
        where TDrift : struct, IDrift
    {
        int d = y.Length;
        var k0 = stages.Slice(0 * d, d);
        var k1 = stages.Slice(1 * d, d);
        var k2 = stages.Slice(2 * d, d);
        var k3 = stages.Slice(3 * d, d);
        var k4 = stages.Slice(4 * d, d);
        var k5 = stages.Slice(5 * d, d);
        var k6 = stages.Slice(6 * d, d);
        var k7 = stages.Slice(7 * d, d);
        var k8 = stages.Slice(8 * d, d);
        var k9 = stages.Slice(9 * d, d);
        var k10 = stages.Slice(10 * d, d);
        var k11 = stages.Slice(11 * d, d);
        var k12 = stages.Slice(12 * d, d);
        var k13 = stages.Slice(13 * d, d);
        var k14 = stages.Slice(14 * d, d);
        var k15 = stages.Slice(15 * d, d);
        var s = stages.Slice(16 * d, d);
        StageSum.Add(s, y, h * A13_0, k0, h * A13_6, k6, h * A13_7, k7, h * A13_8, k8, h * A13_9, k9, h * A13_10, k10, h * A13_11, k11, h * A13_12, k12);
        f.Evaluate(t + C13 * h, s, k13, 1);
        StageSum.Add(s, y, h * A14_0, k0, h * A14_5, k5, h * A14_6, k6, h * A14_7, k7, h * A14_10, k10, h * A14_11, k11, h * A14_12, k12, h * A14_13, k13);
        f.Evaluate(t + C14 * h, s, k14, 1);
        StageSum.Add(s, y, h * A15_0, k0, h * A15_5, k5, h * A15_6, k6, h * A15_7, k7, h * A15_8, k8, h * A15_12, k12, h * A15_13, k13, h * A15_14, k14);
        f.Evaluate(t + C15 * h, s, k15, 1);
        var f0 = stages.Slice(18 * d, d);
        var f1 = stages.Slice(19 * d, d);
        var f2 = stages.Slice(20 * d, d);
        var f3 = stages.Slice(21 * d, d);
        var f4 = stages.Slice(22 * d, d);
        var f5 = stages.Slice(23 * d, d);
        var f6 = stages.Slice(24 * d, d);
        for (int i = 0; i < d; i++)
        {
            double dy = yNew[i] - y[i];
            f0[i] = dy;
            f1[i] = h * k0[i] - dy;
            f2[i] = 2 * dy - h * (k0[i] + k12[i]);
            f3[i] = h * (D0_0 * k0[i] + D0_5 * k5[i] + D0_6 * k6[i] + D0_7 * k7[i] + D0_8 * k8[i] + D0_9 * k9[i] + D0_10 * k10[i] + D0_11 * k11[i] + D0_12 * k12[i] + D0_13 * k13[i] + D0_14 * k14[i] + D0_15 * k15[i]);
            f4[i] = h * (D1_0 * k0[i] + D1_5 * k5[i] + D1_6 * k6[i] + D1_7 * k7[i] + D1_8 * k8[i] + D1_9 * k9[i] + D1_10 * k10[i] + D1_11 * k11[i] + D1_12 * k12[i] + D1_13 * k13[i] + D1_14 * k14[i] + D1_15 * k15[i]);
            f5[i] = h * (D2_0 * k0[i] + D2_5 * k5[i] + D2_6 * k6[i] + D2_7 * k7[i] + D2_8 * k8[i] + D2_9 * k9[i] + D2_10 * k10[i] + D2_11 * k11[i] + D2_12 * k12[i] + D2_13 * k13[i] + D2_14 * k14[i] + D2_15 * k15[i]);
            f6[i] = h * (D3_0 * k0[i] + D3_5 * k5[i] + D3_6 * k6[i] + D3_7 * k7[i] + D3_8 * k8[i] + D3_9 * k9[i] + D3_10 * k10[i] + D3_11 * k11[i] + D3_12 * k12[i] + D3_13 * k13[i] + D3_14 * k14[i] + D3_15 * k15[i]);
        }
    }

    /// <inheritdoc/>
    public void Interpolate(double theta, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ReadOnlySpan<double> stages, Span<double> result)
    {
        int d = y.Length;
        double x = theta, x1 = 1 - theta;
        var f0 = stages.Slice(18 * d, d);
        var f1 = stages.Slice(19 * d, d);
        var f2 = stages.Slice(20 * d, d);
        var f3 = stages.Slice(21 * d, d);
        var f4 = stages.Slice(22 * d, d);
        var f5 = stages.Slice(23 * d, d);
        var f6 = stages.Slice(24 * d, d);
        for (int i = 0; i < d; i++)
            result[i] = y[i] + x * (f0[i] + x1 * (f1[i] + x * (f2[i] + x1 * (f3[i] + x * (f4[i] + x1 * (f5[i] + x * f6[i]))))));
    }
}
