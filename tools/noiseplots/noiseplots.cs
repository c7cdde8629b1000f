#:project ../../src/Drift.Cli/Drift.Cli.csproj
// The convergence plots of docs/noise.md, drawn with the drift tool's own plotting code (PlotReport.WriteLogLog):
//   docs/img/qmc-rmse.png   RMSE of one randomisation against paths: plain MC and RQMC with the Brownian-bridge, PCA and
//                           incremental constructions (European and arithmetic Asian call, 16 dates, 32 randomisations)
//   docs/img/mlmc-cost.png  path steps to reach RMSE eps: MLMC (Euler, Milstein) and plain MC for GBM; MLMC (full-truncation
//                           Euler) and plain MC for Heston
// The numbers behind each curve are printed (they are the tables of docs/noise.md). Fixed seeds: rerunning gives the same
// figures. Run from the repository root: dotnet run -c Release tools/noiseplots/noiseplots.cs [output-folder]
using System.Globalization;
using Drift.Brownian.Construction;
using Drift.Cli.Output;
using Drift.Ensembles.Multilevel;
using Drift.Models.Finance;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string folder = args.Length > 0 ? args[0] : Path.Combine("docs", "img");
Directory.CreateDirectory(folder);

// --- RQMC: RMSE against paths per randomisation ------------------------------------------------------------------
const double S0 = 100, K = 100, T = 1, R = 0.05, Sigma = 0.2;
const int Randomizations = 32;
double[] sizes = [128, 256, 512, 1024, 2048, 4096, 8192];
var rmsePanels = new List<(string, string, string, IReadOnlyList<PlotReport.Series>)>();
foreach (var (payoff, name) in new[] { (PathPayoff.European, "European call"), (PathPayoff.ArithmeticAsian, "arithmetic Asian call") })
{
    var curves = new List<PlotReport.Series>();
    foreach (var (method, construction, label) in new[]
    {
        (SamplingMethod.MonteCarlo, PathConstruction.Incremental, "plain MC"),
        (SamplingMethod.QuasiMonteCarlo, PathConstruction.BrownianBridge, "RQMC, Brownian bridge"),
        (SamplingMethod.QuasiMonteCarlo, PathConstruction.PrincipalComponents, "RQMC, PCA"),
        (SamplingMethod.QuasiMonteCarlo, PathConstruction.Incremental, "RQMC, incremental"),
    })
    {
        // The spread of one randomisation is its RMSE (each randomisation is unbiased): SE of the mean × √R.
        double[] rmse = sizes.Select(n => GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, payoff, new PathPricingOptions
        {
            Method = method, Construction = construction, Dates = 16, Paths = (long)n, Randomizations = Randomizations, Seed = (ulong)n,
        }).StandardError * Math.Sqrt(Randomizations)).ToArray();
        Console.WriteLine($"{name}, {label}: slope {Slope(sizes, rmse):F3}; RMSE {string.Join(" ", rmse.Select(e => e.ToString("E2")))}");
        curves.Add(new PlotReport.Series($"{label} (slope {Slope(sizes, rmse):F2})", sizes, rmse));
    }
    double anchor = curves[0].Y[0];
    curves.Add(new PlotReport.Series("N^-1/2", sizes, sizes.Select(n => anchor * Math.Pow(n / sizes[0], -0.5)).ToArray(), true));
    curves.Add(new PlotReport.Series("N^-1", sizes, sizes.Select(n => 0.5 * curves[1].Y[0] * Math.Pow(n / sizes[0], -1)).ToArray(), true));
    rmsePanels.Add(($"{name}, 16 dates", "paths per randomisation N", "RMSE", curves));
}
Write(Path.Combine(folder, "qmc-rmse.png"), rmsePanels);

// --- MLMC: cost against eps --------------------------------------------------------------------------------------
double[] gbmEps = [1e-3, 5e-4, 2.5e-4, 1.25e-4];
var euler = gbmEps.Select(e => MultilevelMonteCarlo.Estimate(new GbmMultilevel(1, 1, 1, 0.05, 0.2, OptionKind.Call, MultilevelScheme.Euler, 17), new MultilevelOptions { TargetRmse = e, InitialSamples = 2000 })).ToArray();
var milstein = gbmEps.Select(e => MultilevelMonteCarlo.Estimate(new GbmMultilevel(1, 1, 1, 0.05, 0.2, OptionKind.Call, MultilevelScheme.Milstein, 17), new MultilevelOptions { TargetRmse = e, InitialSamples = 2000 })).ToArray();
Report("GBM Euler MLMC", gbmEps, euler);
Report("GBM Milstein MLMC", gbmEps, milstein);
var heston = new HestonParameters(100, 0.04, 0.03, 1.5, 0.04, 0.3, -0.7);
double[] hestonEps = [0.08, 0.04, 0.02, 0.01, 0.005];
var hestonRuns = hestonEps.Select(e => MultilevelMonteCarlo.Estimate(new HestonMultilevel(heston, 100, 1, OptionKind.Call, 23), new MultilevelOptions { TargetRmse = e, Alpha = 1 })).ToArray();
Report("Heston Euler MLMC", hestonEps, hestonRuns);
var mlmcPanels = new List<(string, string, string, IReadOnlyList<PlotReport.Series>)>
{
    ("GBM European call (S0 = K = 1)", "target RMSE eps", "path steps", new List<PlotReport.Series>
    {
        Curve("Euler MLMC", gbmEps, euler.Select(r => r.PathSteps)),
        Curve("Milstein MLMC", gbmEps, milstein.Select(r => r.PathSteps)),
        Curve("plain MC (Euler, finest level)", gbmEps, euler.Select(r => r.MonteCarloPathSteps)),
        new("eps^-2", gbmEps, gbmEps.Select(e => milstein[0].PathSteps * Math.Pow(e / gbmEps[0], -2)).ToArray(), true),
        new("eps^-3", gbmEps, gbmEps.Select(e => euler[0].MonteCarloPathSteps * Math.Pow(e / gbmEps[0], -3)).ToArray(), true),
    }),
    ("Heston European call (Feller met)", "target RMSE eps", "path steps", new List<PlotReport.Series>
    {
        Curve("full-truncation Euler MLMC", hestonEps, hestonRuns.Select(r => r.PathSteps)),
        Curve("plain MC (finest level)", hestonEps, hestonRuns.Select(r => r.MonteCarloPathSteps)),
        new("eps^-2 (log eps)^2", hestonEps, hestonEps.Select(e => hestonRuns[0].PathSteps * Math.Pow(e / hestonEps[0], -2) * Math.Pow(Math.Log(e) / Math.Log(hestonEps[0]), 2)).ToArray(), true),
        new("eps^-3", hestonEps, hestonEps.Select(e => hestonRuns[0].MonteCarloPathSteps * Math.Pow(e / hestonEps[0], -3)).ToArray(), true),
    }),
};
Write(Path.Combine(folder, "mlmc-cost.png"), mlmcPanels);
return;

static PlotReport.Series Curve(string label, double[] eps, IEnumerable<double> cost)
{
    double[] y = cost.ToArray();
    return new PlotReport.Series($"{label} (slope {Slope(eps, y):F2})", eps, y);
}

static void Report(string name, double[] eps, MultilevelResult[] runs)
{
    for (int i = 0; i < eps.Length; i++)
        Console.WriteLine($"{name}: eps {eps[i]:G3}: price {runs[i].Price:F6} ± {runs[i].StandardError:E2}, L = {runs[i].Levels.Count - 1}, beta {runs[i].Beta:F2}, MLMC {runs[i].PathSteps:E2}, MC {runs[i].MonteCarloPathSteps:E2}");
    double[] cost = runs.Select(r => r.PathSteps).ToArray();
    Console.WriteLine($"{name}: fitted exponent {Slope(eps, cost):F3} raw, {Slope(eps, cost.Select((c, i) => c / (Math.Log(eps[i]) * Math.Log(eps[i]))).ToArray()):F3} after /(log eps)^2; MC {Slope(eps, runs.Select(r => r.MonteCarloPathSteps).ToArray()):F3}");
}

// Least-squares slope of log y against log x.
static double Slope(double[] x, double[] y)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < x.Length; i++) { double a = Math.Log(x[i]), b = Math.Log(y[i]); sx += a; sy += b; sxx += a * a; sxy += a * b; }
    return (x.Length * sxy - sx * sy) / (x.Length * sxx - sx * sx);
}

static void Write(string file, IReadOnlyList<(string, string, string, IReadOnlyList<PlotReport.Series>)> panels)
{
    string temp = file + ".tmp";
    using (var stream = File.Create(temp)) PlotReport.WriteLogLog(stream, panels);
    File.Move(temp, file, overwrite: true);
    Console.WriteLine($"wrote {file}");
}
