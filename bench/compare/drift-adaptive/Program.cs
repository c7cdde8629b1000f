// Per-step overhead of adaptive SDE stepping over the fixed-step ensemble loop: stochastic
// Lorenz-63 (diagonal noise, d = m = 3), SRIW1, 10^4 paths on all cores. Best of 3 runs each.
// Usage: dotnet run -c Release --project bench/compare/drift-adaptive [paths] [rtol] [--api=one] [--verify]
// Flags: --api=old (AdaptiveSde.Solve and Ensemble.Solve, the default) or --api=one (DiffEq.Solve with a
// PidController and a ConstantStep controller); --verify solves both ways and prints whether the bits agree.
using System.Diagnostics;
using System.Globalization;
using Drift;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

string api = args.FirstOrDefault(a => a.StartsWith("--api=", StringComparison.Ordinal))?["--api=".Length..] ?? "old";
bool verify = args.Contains("--verify");
args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
long paths = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
double rtol = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1e-3;
var lorenz = StochasticLorenz.Classic(2.0);
var problem = Sde.Problem(lorenz, [1.0, 1.0, 20.0], 0, 1);
var controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol };
var adaptiveOptions = new AdaptiveSdeOptions { Paths = paths, Seed = 1, Controller = controller, TrackQuantiles = false };
var oneOptions = new SolveOptions { Paths = paths, Seed = 1, Controller = controller, TrackQuantiles = false };

if (verify)
{
    var old = AdaptiveSde.Solve(problem, new Sriw1(), adaptiveOptions with { KeepPaths = true });
    var one = DiffEq.Solve(problem, new Sriw1(), oneOptions with { KeepPaths = true });
    bool same = old.Statistics.AcceptedSteps == one.Statistics.AcceptedSteps && old.Statistics.RejectedSteps == one.Statistics.RejectedSteps;
    for (int i = 0; i < 3; i++) same &= old.Ensemble.PathsAt(0, i).SequenceEqual(one.PathsAt(0, i));
    var oldFixed = Ensemble.Solve(problem, new Sriw1(), new EnsembleOptions { Paths = paths, Steps = 100, Seed = 1, KeepPaths = true });
    var oneFixed = DiffEq.Solve(problem, new Sriw1(), oneOptions with { Controller = ConstantStep.WithSteps(100), KeepPaths = true });
    for (int i = 0; i < 3; i++) same &= oldFixed.PathsAt(0, i).SequenceEqual(oneFixed.PathsAt(0, i));
    Console.WriteLine($"{{\"verify\": \"adaptive and fixed sriw1\", \"paths\": {paths}, \"same_bits\": {(same ? "true" : "false")}}}");
    return same ? 0 : 1;
}

double Best(Func<double> run)
{
    double best = double.MaxValue;
    for (int r = 0; r < 3; r++) best = Math.Min(best, run());
    return best;
}

(long Accepted, long Rejected) stats = default;
double adaptiveSeconds = Best(() =>
{
    var clock = Stopwatch.StartNew();
    if (api == "one")
    {
        var s = DiffEq.Solve(problem, new Sriw1(), oneOptions);
        stats = (s.Statistics.AcceptedSteps, s.Statistics.RejectedSteps);
    }
    else
    {
        var s = AdaptiveSde.Solve(problem, new Sriw1(), adaptiveOptions);
        stats = (s.Statistics.AcceptedSteps, s.Statistics.RejectedSteps);
    }
    return clock.Elapsed.TotalSeconds;
});
long attempted = stats.Accepted + stats.Rejected;
int steps = (int)Math.Max(1, stats.Accepted / paths);

double fixedSeconds = Best(() =>
{
    var clock = Stopwatch.StartNew();
    if (api == "one") DiffEq.Solve(problem, new Sriw1(), oneOptions with { Controller = ConstantStep.WithSteps(steps) });
    else Ensemble.Solve(problem, new Sriw1(), new EnsembleOptions { Paths = paths, Steps = steps, Seed = 1, TrackQuantiles = false });
    return clock.Elapsed.TotalSeconds;
});

double adaptivePerStep = adaptiveSeconds / attempted;
double fixedPerStep = fixedSeconds / (paths * (double)steps);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"paths\": {paths}, \"rtol\": {rtol}, \"api\": \"{api}\", \"accepted\": {stats.Accepted}, \"rejected\": {stats.Rejected}, \"adaptive_seconds\": {adaptiveSeconds}, \"fixed_steps\": {steps}, \"fixed_seconds\": {fixedSeconds}, \"ns_per_attempted_path_step_adaptive\": {adaptivePerStep * 1e9}, \"ns_per_path_step_fixed\": {fixedPerStep * 1e9}, \"overhead\": {adaptivePerStep / fixedPerStep}}}"));
return 0;
