// The Drift side of bench/compare/gbm.py: times the GBM ensemble (best of several runs) and
// reports the Euler–Maruyama strong error at T against the exact solution on the same path.
// Flags: --api=old (Ensemble.Solve, the default) or --api=one (DiffEq.Solve, the one entry point);
// --verify runs both at the given size and prints whether every path's bits agree; --chunk=N sets the paths per
// work item (default SolveDefaults.ChunkSize).
// Usage: dotnet run -c Release --project bench/compare/drift-gbm -- [paths] [steps] [repeats] [threads] [--api=one] [--chunk=N] [--verify]
using System.Diagnostics;
using System.Globalization;
using Drift;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

string api = args.FirstOrDefault(a => a.StartsWith("--api=", StringComparison.Ordinal))?["--api=".Length..] ?? "old";
int chunk = int.Parse(args.FirstOrDefault(a => a.StartsWith("--chunk=", StringComparison.Ordinal))?["--chunk=".Length..] ?? SolveDefaults.ChunkSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
bool verify = args.Contains("--verify");
args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
long paths = long.Parse(args.Length > 0 ? args[0] : "100000", CultureInfo.InvariantCulture);
int steps = int.Parse(args.Length > 1 ? args[1] : "1000", CultureInfo.InvariantCulture);
int repeats = int.Parse(args.Length > 2 ? args[2] : "5", CultureInfo.InvariantCulture);
int threads = int.Parse(args.Length > 3 ? args[3] : "0", CultureInfo.InvariantCulture);

var gbm = new GeometricBrownianMotion(0.05, 0.2);
var problem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
var options = new EnsembleOptions { Paths = paths, Steps = steps, Seed = 7, Threads = threads, ChunkSize = chunk, TrackQuantiles = false };
var oneOptions = new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = paths, Seed = 7, Threads = threads, ChunkSize = chunk, TrackQuantiles = false };
EnsembleSolution Solve(bool keep) => api == "one"
    ? DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new EulerMaruyama(), oneOptions with { KeepPaths = keep }).Ensemble
    : Ensemble.Solve(problem, new EulerMaruyama(), options with { KeepPaths = keep });

if (verify)
{
    var old = Ensemble.Solve(problem, new EulerMaruyama(), options with { KeepPaths = true });
    var one = DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new EulerMaruyama(), oneOptions with { KeepPaths = true });
    bool same = old.PathsAt(0, 0).SequenceEqual(one.PathsAt(0, 0)) && old.Final(0).Mean.Equals(one.Final(0).Mean) && old.Final(0).Variance.Equals(one.Final(0).Variance);
    Console.WriteLine($"{{\"verify\": \"gbm\", \"paths\": {paths}, \"steps\": {steps}, \"same_bits\": {(same ? "true" : "false")}}}");
    return same ? 0 : 1;
}

double best = double.MaxValue;
EnsembleSolution? timed = null;
for (int r = 0; r < repeats; r++)
{
    var clock = Stopwatch.StartNew();
    timed = Solve(keep: false);
    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}

// Strong error: the same run keeping paths, and W(T) of each path from dX = dW on the same increments.
var kept = Solve(keep: true);
var bm = new BrownianMotion();
var w = Ensemble.Solve(new SdeProblem<BrownianMotion, BrownianMotion>(bm, bm, [0.0], 0, 1), new EulerMaruyama(), options with { KeepPaths = true });
var x = kept.PathsAt(0, 0);
var wt = w.PathsAt(0, 0);
double error = 0;
for (int p = 0; p < x.Length; p++) error += Math.Abs(x[p] - gbm.Exact(1.0, 1.0, wt[p]));
error /= x.Length;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"seconds\": {best}, \"path_steps_per_second\": {paths * (double)steps / best}, \"mean\": {timed!.Final(0).Mean}, \"strong_error\": {error}, \"threads\": {(threads == 0 ? Environment.ProcessorCount : threads)}, \"chunk\": {chunk}, \"api\": \"{api}\"}}"));
return 0;

/// <summary>dX = dW: its Euler–Maruyama solution is the Brownian path itself.</summary>
internal readonly struct BrownianMotion : IDrift, IDiffusion
{
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Additive;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => dx[..paths].Clear();
    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Fill(1.0);
}
