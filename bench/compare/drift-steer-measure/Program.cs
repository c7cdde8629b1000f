// The sweeps behind the measured tables of docs/steering.md and docs/generative.md (formerly DRIFT_MEASURE=1 "tests"):
//   normalizer  [filter]   E[Ẑ]/Z and E[log Ẑ/Z], 32 runs per cell × N = 64/256/1024 (docs/steering.md, "The normalising constant")
//   covariance  [filter]   covariance error of the three FKC moves, 4 runs × 50000 particles per cell (docs/steering.md)
//   product-cfg [filter]   product and CFG table per move, 8 runs × 1024 particles per cell (docs/steering.md)
//   lml         [filter]   PC with the LML corrector vs plain Langevin, 8 seeds × 1000 samples (docs/generative.md)
// filter: only the rows whose name contains it (ordinal). Options: --steps S (only that step count), --runs R (fewer
// runs than the docs used, for a smoke run; the numbers then are not the docs'). Same seeds as the docs' tables.
// The runs and oracles are the tests' (tests/Drift.Generative.Tests/{RunStatistics,Samplers/CorrectorRuns,
// Steering/SteeringRuns,Steering/SteeringFixture}.cs, compiled here by link).
using System.Globalization;
using Drift.Generative.Grids;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Steering;
using Drift.Generative.Tests;
using Drift.Generative.Tests.Samplers;
using Drift.Generative.Tests.Steering;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string filter = "";
int? onlySteps = null, runsOverride = null;
for (int a = 1; a < args.Length; a++)
{
    if (args[a] == "--steps" && a + 1 < args.Length) onlySteps = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--runs" && a + 1 < args.Length) runsOverride = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else filter = args[a];
}
if (runsOverride is < 2)
{
    Console.Error.WriteLine("--runs must be at least 2 (a standard error needs two runs)");
    return 2;
}

int Runs(int docs) => runsOverride ?? docs;
int[] Steps(params int[] docs) => onlySteps is int s ? docs.Where(v => v == s).ToArray() : docs;
bool Wanted(string name) => name.Contains(filter, StringComparison.Ordinal);

switch (args.Length > 0 ? args[0] : "")
{
    case "normalizer": Normalizer(); return 0;
    case "covariance": Covariance(); return 0;
    case "product-cfg": ProductCfg(); return 0;
    case "lml": Lml(); return 0;
    default:
        Console.Error.WriteLine("usage: drift-steer-measure normalizer|covariance|product-cfg|lml [filter] [--steps S] [--runs R]");
        return 2;
}

void Normalizer()
{
    Console.WriteLine("row | steps | N | E[Ẑ/Z] ± SE | E[log Ẑ/Z] ± SE");
    foreach (var (name, run, stepsList) in new (string, Func<int, int, ulong, double>, int[])[]
             {
                 ("fkc-anneal gauss2d β=2 Euler–Maruyama", SteeringRuns.Annealing(FeynmanKacIntegrator.EulerMaruyama), [25, 50, 100, 200, 400]),
                 ("fkc-anneal gauss2d β=2 exponential", SteeringRuns.Annealing(FeynmanKacIntegrator.Exponential), [25, 50, 100, 200, 400]),
                 ("fkc-anneal gauss2d β=2 exponential multistep", SteeringRuns.Annealing(FeynmanKacIntegrator.ExponentialMultistep), [50, 100, 200]),
                 ("fk skewed2d", SteeringRuns.SteerLogRatio, [5, 10, 20, 40, 80]),
             })
        foreach (int steps in Wanted(name) ? Steps(stepsList) : [])
            foreach (int n in new[] { 64, 256, 1024 })
            {
                var r = SteeringRuns.OverRuns(run, steps, n, Runs(32), 5000);
                Console.WriteLine($"{name} | {steps} | {n} | {r.Ratio:F4} ± {r.RatioSe:F4} | {r.Log:F4} ± {r.LogSe:F4}");
            }
}

void Covariance()
{
    Console.WriteLine("cov move | steps | relative max-norm covariance error ± SE");
    foreach (var integrator in Enum.GetValues<FeynmanKacIntegrator>())
        foreach (int steps in Wanted(integrator.ToString()) ? Steps(50, 100, 200) : [])
        {
            var e = Enumerable.Range(0, Runs(4)).Select(r => SteeringRuns.Anneal(steps, 50000, 7000 + (ulong)r, integrator).CovarianceError).ToArray();
            var (m, se) = RunStatistics.MeanSe(e);
            Console.WriteLine($"cov {integrator} | {steps} | {m:F4} ± {se:F4}");
        }
}

void ProductCfg()
{
    int runs = Runs(8);
    const int n = 1024;
    var cond = SteeringRuns.Labelled.Select([1, 2]);
    Console.WriteLine("| move | steps | product heaviest-mode mass error | E[Ẑ]/Z | sliced W2 | CFG P(x > 1.5) | CFG E[x] |");
    foreach (int steps in Steps(40, 60, 100, 200))
    {
        var grid = SteeringRuns.Grid(steps);
        var (exact, logEnd) = GaussianMixtureProduct.Multiply(GaussianMixtureProduct.Noised(SteeringRuns.ExpertA, grid.Alpha(steps), grid.Sigma(steps)),
            GaussianMixtureProduct.Noised(SteeringRuns.ExpertB, grid.Alpha(steps), grid.Sigma(steps)));
        var (_, logStart) = GaussianMixtureProduct.Multiply(GaussianMixtureProduct.Noised(SteeringRuns.ExpertA, grid.Alpha(0), grid.Sigma(0)),
            GaussianMixtureProduct.Noised(SteeringRuns.ExpertB, grid.Alpha(0), grid.Sigma(0)));
        int heavy = Enumerable.Range(0, exact.ComponentCount).MaxBy(k => exact.Weights[k]);
        var reference = new double[2 * 4096];
        exact.Sample(1, 0, 99, 0, reference, 4096);
        var other = new double[2 * 4096];
        exact.Sample(1, 0, 98, 0, other, 4096);
        var uniform = Enumerable.Repeat(1.0 / 4096, 4096).ToArray();
        if (steps == 40)
            Console.WriteLine($"product sliced W2 exact-vs-exact floor (4096 vs 4096): {Drift.Analysis.SlicedWasserstein.Estimate(other, uniform, reference, uniform, 2, 128, 1).Distance:F4}");
        var (mass, mean) = SteeringRuns.Quadrature([cond, SteeringRuns.Labelled], [3, -2], grid.Alpha(steps), grid.Sigma(steps), cut: 1.5);
        var cfg = FeynmanKacTarget.ClassifierFree(() => cond.AsModel(SteeringRuns.Schedule), () => SteeringRuns.Labelled.AsModel(SteeringRuns.Schedule), 3);
        foreach (var integrator in Enum.GetValues<FeynmanKacIntegrator>().Where(i => Wanted(i.ToString())))
        {
            var product = Enumerable.Range(0, runs).Select(r =>
            {
                var res = SteeringRuns.Product(n, (ulong)(800 + r), steps, integrator: integrator);
                double w2 = Drift.Analysis.SlicedWasserstein.Estimate(res.Samples.ToArray(), res.Weights.ToArray(), reference, uniform, 2, 128, 1).Distance;
                return new[] { SteeringFixture.ModeMasses(res, exact)[heavy] - exact.Weights[heavy], Math.Exp(res.LogNormalizer - (logEnd - logStart)), w2 };
            }).ToList();
            var guided = Enumerable.Range(0, runs).Select(r => SteeringRuns.MassAndMean1D(FeynmanKacCorrector.Run(cfg, grid, SteeringRuns.Prior(n, 1, 1, (ulong)(900 + r)),
                new FeynmanKacCorrectorOptions { Seed = (ulong)(900 + r), Integrator = integrator }), cut: 1.5)).ToList();
            var (pm, ps) = RunStatistics.OverRuns(product);
            var (gm, gs) = RunStatistics.OverRuns(guided);
            Console.WriteLine($"| {integrator} | {steps} | {pm[0]:+0.000;-0.000} ± {ps[0]:F3} | {pm[1]:F3} ± {ps[1]:F3} | {pm[2]:F4} ± {ps[2]:F4} | " +
                $"{gm[0]:F3} ± {gs[0]:F3} (exact {mass:F3}) | {gm[1]:F3} ± {gs[1]:F3} (exact {mean:F3}) |");
        }
    }
}

void Lml()
{
    int seeds = Runs(8);
    const int n = 1000;
    foreach (int corrector in new[] { 1, 2 })
        foreach (int steps in Steps(5, 10, 20, 40))
        {
            var line = $"M={corrector} steps {steps} NFE {new PredictorCorrectorSampler(correctorSteps: corrector).Evaluations(SamplingGrid.Create(CorrectorRuns.Schedule, steps, GridSpacing.LogSnr))}:";
            foreach (double lambda in new[] { double.PositiveInfinity, 10, 1, 0.1 }.Where(l => Wanted($"λ={l}")))
            {
                var sampler = new PredictorCorrectorSampler(correctorSteps: corrector, damping: lambda);
                var runs = Enumerable.Range(0, seeds).Select(s => CorrectorRuns.Measure(sampler, steps, n, 50 + (ulong)s)).ToList();
                var (w, ws) = RunStatistics.MeanSe([.. runs.Select(r => r.W2)]);
                var (m, msd) = RunStatistics.MeanSe([.. runs.Select(r => r.Mass)]);
                line += $" | λ={lambda}: W2 {w:F4}±{ws:F4} mass {m:F3}±{msd:F3}";
            }
            Console.WriteLine(line);
        }
}
