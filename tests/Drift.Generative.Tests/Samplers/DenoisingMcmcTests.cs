using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

/// <summary>
/// Denoising Langevin Gibbs on the exact skewed2d mixture (EDM schedule; the exact log density at each level is the
/// noise-level classifier) against the plain EDM Heun sampler from σ_max, by sliced W2 to exact samples (2000 points,
/// 128 projections, fixed seeds).
/// </summary>
public class DenoisingMcmcTests(ITestOutputHelper output)
{
    private const int Samples = 2000;
    private static readonly GaussianMixture Mixture = StandardMixtures.Get("skewed2d");
    private static readonly EdmSchedule Schedule = new();

    private static double[] Exact(ulong seed)
    {
        var e = new double[Samples * 2];
        Mixture.Sample(1, 0, seed, 0, e, Samples);
        return e;
    }

    private static double W2(IReadOnlyList<double> x, double[] exact) => SampleMetrics.SlicedWasserstein2(x.ToArray(), exact, Samples, 2);

    private static double Plain(int steps, double[] exact)
    {
        var x = new double[Samples * 2];
        new Drift.Random.PhiloxNormals(7).FillStream(0, 0, x);
        for (int i = 0; i < x.Length; i++) x[i] *= Schedule.SigmaMax;
        new EdmHeunSampler().Sample(Mixture.AsModel(Schedule), SamplingGrid.Create(Schedule, steps, GridSpacing.Karras, denoiseToZero: true), x, Samples);
        return W2(x, exact);
    }

    private static NoiseLevelLogLikelihood Classifier() => (sigma, x, ll, n) => Mixture.Score(1, sigma, x, default, n, ll);

    /// <summary>
    /// NFE saved at equal quality (seed 3; measured sweep in docs/generative.md): 200 chains × 10 rounds of DLG with
    /// η = 0.05, n_skip = 3 and a 2-step Heun denoiser cost 6 NFE per output after a setup of 15 + 10 NFE per chain
    /// (8.5 amortised) and reach sliced W2 0.196, below plain EDM Heun at 15 NFE (0.324) — and at 19 NFE (0.211).
    /// The assertion is the robust half (against 15 NFE); about 3 s under load.
    /// </summary>
    [Fact]
    public void Dlg_at_under_9_amortised_NFE_beats_plain_Heun_at_15_NFE()
    {
        var exact = Exact(11);
        var r = DenoisingMcmc.Sample(Mixture.AsModel(Schedule), Classifier(), Samples / 10, 10,
            new DenoisingMcmcOptions { StepSize = 0.05, Skip = 3, DenoiseSteps = 2, InitSteps = 8, Seed = 3 });
        double dlg = W2(r.Samples, exact), plain = Plain(8, exact);
        output.WriteLine($"DLG {r.AmortisedEvaluations:F1} NFE/output (σ start {r.MeanStartSigma:F3}): W2 {dlg:F4}; plain Heun 15 NFE: {plain:F4}");
        Assert.Equal(6, r.EvaluationsPerOutput);
        Assert.Equal(25, r.SetupEvaluations);
        Assert.Equal(Samples * 2, r.Samples.Count);
        Assert.True(r.AmortisedEvaluations < 9);
        Assert.True(dlg < 0.75 * plain, $"DLG W2 {dlg} vs plain Heun at 15 NFE {plain}");
        Assert.True(r.MeanStartSigma < 1, $"the chains should sit at low noise, mean σ {r.MeanStartSigma}");
    }

    [Fact]
    public void Bad_settings_and_schedules_are_refused()
    {
        Assert.Throws<ArgumentException>(() => DenoisingMcmc.Sample(Mixture.AsModel(new VpLinearSchedule()), Classifier(), 4, 1, new DenoisingMcmcOptions()));
        Assert.Throws<ArgumentException>(() => DenoisingMcmc.Sample(Mixture.AsModel(Schedule), Classifier(), 0, 1, new DenoisingMcmcOptions()));
        Assert.Throws<ArgumentException>(() => DenoisingMcmc.Sample(Mixture.AsModel(Schedule), Classifier(), 4, 1, new DenoisingMcmcOptions { StepSize = 0 }));
        Assert.Throws<ArgumentException>(() => DenoisingMcmc.Sample(Mixture.AsModel(Schedule), Classifier(), 4, 1, new DenoisingMcmcOptions { SigmaLow = 0.001 }));
        Assert.Throws<ArgumentException>(() => DenoisingMcmc.Sample(Mixture.AsModel(Schedule), (s, x, ll, n) => ll[..n].Fill(double.NaN), 4, 1, new DenoisingMcmcOptions()));
    }
}
