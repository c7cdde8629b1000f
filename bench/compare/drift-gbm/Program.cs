// The Drift side of bench/compare/gbm.py: times the GBM ensemble (best of several runs) and
// reports the Euler–Maruyama strong error at T against the exact solution on the same path.
// Flags: --api=old (Ensemble.Solve, the default) or --api=one (DiffEq.Solve, the one entry point);
// --verify runs both at the given size and prints whether every path's bits agree; --chunk=N sets the paths per
// work item (default SolveDefaults.ChunkSize); --generator times the generator alone on one core instead: Philox
// normals (Box–Muller) against Philox uniforms on the same 2¹⁶ draws, alternating, best of [repeats] each, to show how a
// normal's cost splits between the counter-based generator and the transform (issue 15).
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
bool generator = args.Contains("--generator");
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

if (generator)
{
    const int streams = 1 << 13, rows = 8; // 2¹⁶ draws (0.5 MB, L2-resident): short fills, so a best-of under load is a clean one
    var buffer = new double[streams * rows];
    var normals = new Drift.Random.PhiloxNormals(7);
    var uniforms = new Drift.Random.PhiloxUniforms(7);
    double bestNormal = double.MaxValue, bestUniform = double.MaxValue;
    for (int r = 0; r < Math.Max(repeats, 3); r++)
    {
        var clock = Stopwatch.StartNew();
        normals.FillAcrossStreams(0, streams, (ulong)r * rows, rows, buffer, streams);
        bestNormal = Math.Min(bestNormal, clock.Elapsed.TotalSeconds);
        clock.Restart();
        uniforms.FillAcrossStreams(0, streams, (ulong)r * rows, rows, buffer, streams);
        bestUniform = Math.Min(bestUniform, clock.Elapsed.TotalSeconds);
    }
    double n = streams * (double)rows;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"generator\": \"philox\", \"draws\": {n}, \"normals_per_second\": {n / bestNormal}, \"uniforms_per_second\": {n / bestUniform}, \"transform_share\": {1 - bestUniform / bestNormal}, \"vector_width\": {Drift.Random.PhiloxNormals.VectorWidth}}}"));
    return 0;
}

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
