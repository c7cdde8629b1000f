// Per-step overhead of adaptive SDE stepping over the fixed-step ensemble loop: stochastic
// Lorenz-63 (diagonal noise, d = m = 3), SRIW1, 10^4 paths on all cores. Best of 3 runs each.
// Usage: dotnet run -c Release --project bench/compare/drift-adaptive [paths] [rtol]
using System.Diagnostics;
using System.Globalization;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

long paths = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
double rtol = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1e-3;
var lorenz = StochasticLorenz.Classic(2.0);
var problem = new SdeProblem<StochasticLorenz, StochasticLorenz>(lorenz, lorenz, [1.0, 1.0, 20.0], 0, 1);

double Best(Func<double> run)
{
    double best = double.MaxValue;
    for (int r = 0; r < 3; r++) best = Math.Min(best, run());
    return best;
}

AdaptiveSdeSolution? adaptive = null;
double adaptiveSeconds = Best(() =>
{
    var clock = Stopwatch.StartNew();
    adaptive = AdaptiveSde.Solve(problem, new Sriw1(), new AdaptiveSdeOptions { Paths = paths, Seed = 1, Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol }, TrackQuantiles = false });
    return clock.Elapsed.TotalSeconds;
});
var stats = adaptive!.Statistics;
long attempted = stats.AcceptedSteps + stats.RejectedSteps;
int steps = (int)Math.Max(1, stats.AcceptedSteps / paths);

double fixedSeconds = Best(() =>
{
    var clock = Stopwatch.StartNew();
    Ensemble.Solve(problem, new Sriw1(), new EnsembleOptions { Paths = paths, Steps = steps, Seed = 1, TrackQuantiles = false });
    return clock.Elapsed.TotalSeconds;
});

double adaptivePerStep = adaptiveSeconds / attempted;
double fixedPerStep = fixedSeconds / (paths * (double)steps);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"paths\": {paths}, \"rtol\": {rtol}, \"accepted\": {stats.AcceptedSteps}, \"rejected\": {stats.RejectedSteps}, \"adaptive_seconds\": {adaptiveSeconds}, \"fixed_steps\": {steps}, \"fixed_seconds\": {fixedSeconds}, \"ns_per_attempted_path_step_adaptive\": {adaptivePerStep * 1e9}, \"ns_per_path_step_fixed\": {fixedPerStep * 1e9}, \"overhead\": {adaptivePerStep / fixedPerStep}}}"));
