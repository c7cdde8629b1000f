using Drift.Generative.Grids;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Steering;

namespace Drift.Generative.Tests.Steering;

/// <summary>
/// The runs and closed-form oracles of the Feynman–Kac tests (VP linear schedule, logSNR grid), shared by
/// <c>NormalizerBiasTests</c>, <c>FeynmanKacCorrectorTests</c> and the sweeps of bench/compare/drift-steer-measure,
/// which compiles this file by a link. Annealing case: p = gauss2d, β = 2, Z = ∫p_{t_N}^β / ∫p_{t₀}^β; product case:
/// <see cref="ExpertA"/>·<see cref="ExpertB"/> against <c>GaussianMixtureProduct.Multiply</c>; CFG case: p_c^w p^{1−w} of
/// <see cref="Labelled"/> by quadrature.
/// </summary>
internal static class SteeringRuns
{
    public static readonly VpLinearSchedule Schedule = new();
    public static readonly GaussianMixture Gauss = StandardMixtures.Get("gauss2d");
    public const double Beta = 2;

    public static readonly GaussianMixture ExpertA = new([0.7, 0.3], [[-1.5, 0.0], [1.5, 0.0]], [[0.6, 0, 0, 0.6], [0.6, 0, 0, 0.6]]);
    public static readonly GaussianMixture ExpertB = new([0.4, 0.6], [[-1.5, 1.0], [1.5, -1.0]], [[0.8, 0.2, 0.2, 0.8], [0.8, 0, 0, 0.8]]);
    public static readonly GaussianMixture Labelled = new([0.4, 0.3, 0.3], [[-2.0], [0.5], [2.5]], [[0.36], [0.36], [0.36]]);

    public static SamplingGrid Grid(int steps) => SamplingGrid.Create(Schedule, steps, GridSpacing.LogSnr);

    /// <summary>log ∫p_t^β for the Gaussian p_t = N(αμ, C_t): (1 − β) log 2π + ½(1 − β) log|C_t| − log β (d = 2).</summary>
    private static double LogMass(SamplingGrid grid, int i)
    {
        var c = GaussianMixtureProduct.Noised(Gauss, grid.Alpha(i), grid.Sigma(i)).ComponentCovariance(0);
        return (1 - Beta) * Math.Log(2 * Math.PI) + 0.5 * (1 - Beta) * Math.Log(c[0] * c[3] - c[1] * c[2]) - Math.Log(Beta);
    }

    /// <summary>log(Ẑ/Z) of one FKC run of p^β from the exact q_{t₀} = N(α₀μ, C₀/β).</summary>
    public static double AnnealLogRatio(int steps, int n, ulong seed, FeynmanKacIntegrator integrator) => Anneal(steps, n, seed, integrator).LogRatio;

    /// <summary>The run <see cref="AnnealLogRatio"/> with one integrator, as (steps, particles, seed) ↦ log(Ẑ/Z).</summary>
    public static Func<int, int, ulong, double> Annealing(FeynmanKacIntegrator integrator) => (steps, n, seed) => AnnealLogRatio(steps, n, seed, integrator);

    /// <summary>One FKC run of p^β from the exact q_{t₀}: log(Ẑ/Z) and the relative max-norm error of the weighted covariance against C_{t_N}/β.</summary>
    public static (double LogRatio, double CovarianceError) Anneal(int steps, int n, ulong seed, FeynmanKacIntegrator integrator)
    {
        var grid = Grid(steps);
        var start = GaussianMixtureProduct.Noised(Gauss, grid.Alpha(0), grid.Sigma(0));
        var q0 = new GaussianMixture([1.0], [start.ComponentMean(0).ToArray()], [start.ComponentCovariance(0).ToArray().Select(v => v / Beta).ToArray()]);
        var x = new double[2 * n];
        q0.Sample(1, 0, seed, 0, x, n);
        var res = FeynmanKacCorrector.Run(FeynmanKacTarget.Anneal(() => Gauss.AsModel(Schedule), Beta), grid, x, new FeynmanKacCorrectorOptions { Seed = seed, Integrator = integrator });
        var exact = GaussianMixtureProduct.Noised(Gauss, grid.Alpha(steps), grid.Sigma(steps)).ComponentCovariance(0).ToArray();
        double m0 = 0, m1 = 0;
        for (int i = 0; i < n; i++) { m0 += res.Weights[i] * res.Samples[2 * i]; m1 += res.Weights[i] * res.Samples[2 * i + 1]; }
        var cov = new double[4];
        for (int i = 0; i < n; i++)
        {
            double u = res.Samples[2 * i] - m0, v = res.Samples[2 * i + 1] - m1, w = res.Weights[i];
            cov[0] += w * u * u; cov[1] += w * u * v; cov[3] += w * v * v;
        }
        cov[2] = cov[1];
        double scale = exact.Max(Math.Abs) / Beta, error = 0;
        for (int j = 0; j < 4; j++) error = Math.Max(error, Math.Abs(cov[j] - exact[j] / Beta));
        return (res.LogNormalizer - (LogMass(grid, steps) - LogMass(grid, 0)), error / scale);
    }

    /// <summary>log(Ẑ/Z) of one FK-steering run (difference potential) of the tilted skewed2d.</summary>
    public static double SteerLogRatio(int steps, int n, ulong seed) => SteeringFixture.Run(n, seed, steps).LogNormalizer - SteeringFixture.LogZ;

    /// <summary>Mean ± SE over runs (seeds first, first + 1, …) of Ẑ/Z and of log(Ẑ/Z).</summary>
    public static (double Ratio, double RatioSe, double Log, double LogSe) OverRuns(Func<int, int, ulong, double> run, int steps, int n, int runs, ulong first)
    {
        var logs = Enumerable.Range(0, runs).Select(r => run(steps, n, first + (ulong)r)).ToArray();
        var (ratio, ratioSe) = RunStatistics.MeanSe([.. logs.Select(Math.Exp)]);
        var (log, logSe) = RunStatistics.MeanSe(logs);
        return (ratio, ratioSe, log, logSe);
    }

    /// <summary>Initial particles from N(0, v/B) with v the variance of p_{t₀} (≈ 1 for VP): q_{t₀} up to α_{t₀}² ≈ 4e-5.</summary>
    public static double[] Prior(int n, int d, double total, ulong seed)
    {
        var x = new double[n * d];
        var g = new GaussianMixture([1.0], [new double[d]], [Enumerable.Range(0, d * d).Select(i => i % (d + 1) == 0 ? 1 / total : 0).ToArray()]);
        g.Sample(1, 0, seed, 0, x, n);
        return x;
    }

    /// <summary>1-D quadrature of the normalised q ∝ exp(Σ_i β_i log p_{i,t}) on [−12, 12]: (P(x &gt; cut), E[x]).</summary>
    public static (double Mass, double Mean) Quadrature(IReadOnlyList<GaussianMixture> mixtures, IReadOnlyList<double> beta, double alpha, double sigma,
        double cut = 0)
    {
        const int points = 24001;
        var logq = new double[points];
        var row = new double[1];
        for (int p = 0; p < points; p++)
        {
            row[0] = -12 + 24.0 * p / (points - 1);
            for (int i = 0; i < mixtures.Count; i++) logq[p] += beta[i] * mixtures[i].LogDensity(alpha, sigma, row);
        }
        double max = logq.Max(), z = 0, mass = 0, mean = 0;
        for (int p = 0; p < points; p++)
        {
            double x = -12 + 24.0 * p / (points - 1), w = Math.Exp(logq[p] - max);
            z += w;
            mean += w * x;
            if (x > cut) mass += w;
        }
        return (mass / z, mean / z);
    }

    /// <summary>Weighted (P(x &gt; cut), E[x]) of a 1-D run.</summary>
    public static double[] MassAndMean1D(SteeringResult r, double cut = 0)
    {
        double mass = 0, mean = 0;
        for (int i = 0; i < r.Particles; i++)
        {
            mean += r.Weights[i] * r.Samples[i];
            if (r.Samples[i] > cut) mass += r.Weights[i];
        }
        return [mass, mean];
    }

    /// <summary>One FKC run of the product <see cref="ExpertA"/>·<see cref="ExpertB"/> from the prior N(0, I/2).</summary>
    public static SteeringResult Product(int n, ulong seed, int steps, bool reweight = true, int threads = 1,
        FeynmanKacIntegrator integrator = FeynmanKacIntegrator.ExponentialMultistep)
    {
        var target = FeynmanKacTarget.Product(() => ExpertA.AsModel(Schedule), () => ExpertB.AsModel(Schedule));
        return FeynmanKacCorrector.Run(target, Grid(steps), Prior(n, 2, 2, seed),
            new FeynmanKacCorrectorOptions { Seed = seed, Reweight = reweight, Threads = threads, Integrator = integrator });
    }
}
