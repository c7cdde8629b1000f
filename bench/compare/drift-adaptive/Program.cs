// Per-step overhead of adaptive SDE stepping over the fixed-step ensemble loop: stochastic
// Lorenz-63 (diagonal noise, d = m = 3), SRIW1, 10^4 paths on all cores. Best of 3 runs each.
// Usage: dotnet run -c Release --project bench/compare/drift-adaptive [paths] [rtol] [--api=one|perpath] [--verify] [--alternate=R [--no-per-path]] [--chunk=N]
// Flags: --api=old (AdaptiveSde.Solve and Ensemble.Solve, the default; the stochastic Lorenz declares itself
// time-independent, so this is the SIMD-lane adaptive loop) or --api=one (DiffEq.Solve with a PidController and a
// ConstantStep controller) or --api=perpath (the same model behind a wrapper that does not declare time independence,
// so AdaptiveSde runs its per-path loop over Brownian trees); --verify solves both ways and prints whether the bits
// agree; --alternate=R runs R rounds of per-path adaptive, SIMD-lane adaptive and fixed step in turn (for a loaded
// machine: the three see the same load) and prints the best of each and the ratios; --chunk=N sets the adaptive
// solves' paths per work item (default SolveDefaults.ChunkSize; results do not depend on it); --no-per-path leaves the
// per-path loop out of --alternate. The alternate mode also prints the best process CPU time per path-step (all threads),
// which a loaded machine disturbs less than the wall clock, and the lane solve's mean X(1) (a check of its bits).
using System.Diagnostics;
using System.Globalization;
using Drift;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

string api = args.FirstOrDefault(a => a.StartsWith("--api=", StringComparison.Ordinal))?["--api=".Length..] ?? "old";
bool verify = args.Contains("--verify");
bool noPerPath = args.Contains("--no-per-path");
int chunk = int.Parse(args.FirstOrDefault(a => a.StartsWith("--chunk=", StringComparison.Ordinal))?["--chunk=".Length..] ?? SolveDefaults.ChunkSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
long paths = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
double rtol = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1e-3;
var lorenz = StochasticLorenz.Classic(2.0);
var problem = Sde.Problem(lorenz, [1.0, 1.0, 20.0], 0, 1);
var controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol };
var adaptiveOptions = new AdaptiveSdeOptions { Paths = paths, Seed = 1, Controller = controller, TrackQuantiles = false, ChunkSize = chunk };
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

int rounds = int.Parse(Array.Find(Environment.GetCommandLineArgs(), a => a.StartsWith("--alternate=", StringComparison.Ordinal))?["--alternate=".Length..] ?? "0", CultureInfo.InvariantCulture);
if (rounds > 0)
{
    var perPathProblem = Sde.Problem(new PerPathLorenz(lorenz), [1.0, 1.0, 20.0], 0, 1);
    double bestPerPath = double.MaxValue, bestLanes = double.MaxValue, bestFixed = double.MaxValue;
    long attemptedPerPath = 0, attemptedLanes = 0, acceptedLanes = 0;
    // CPU time of the whole process (every thread) over a solve: on a loaded machine it counts the work, not the waiting.
    var process = Process.GetCurrentProcess();
    double Cpu() { process.Refresh(); return process.TotalProcessorTime.TotalSeconds; }
    double cpuPerPath = double.MaxValue, cpuLanes = double.MaxValue, cpuFixed = double.MaxValue, meanLanes = double.NaN;
    for (int r = 0; r < rounds; r++)
    {
        var clock = Stopwatch.StartNew();
        double cpu = Cpu();
        if (!noPerPath)
        {
            var a = AdaptiveSde.Solve(perPathProblem, new Sriw1(), adaptiveOptions);
            bestPerPath = Math.Min(bestPerPath, clock.Elapsed.TotalSeconds);
            cpuPerPath = Math.Min(cpuPerPath, Cpu() - cpu);
            attemptedPerPath = a.Statistics.AcceptedSteps + a.Statistics.RejectedSteps;
        }
        clock.Restart();
        cpu = Cpu();
        var b = AdaptiveSde.Solve(problem, new Sriw1(), adaptiveOptions);
        bestLanes = Math.Min(bestLanes, clock.Elapsed.TotalSeconds);
        cpuLanes = Math.Min(cpuLanes, Cpu() - cpu);
        attemptedLanes = b.Statistics.AcceptedSteps + b.Statistics.RejectedSteps;
        acceptedLanes = b.Statistics.AcceptedSteps;
        meanLanes = b.Ensemble.Final(0).Mean;
        int fixedSteps = (int)Math.Max(1, acceptedLanes / paths);
        clock.Restart();
        cpu = Cpu();
        Ensemble.Solve(problem, new Sriw1(), new EnsembleOptions { Paths = paths, Steps = fixedSteps, Seed = 1, TrackQuantiles = false });
        bestFixed = Math.Min(bestFixed, clock.Elapsed.TotalSeconds / (paths * (double)fixedSteps));
        cpuFixed = Math.Min(cpuFixed, (Cpu() - cpu) / (paths * (double)fixedSteps));
    }
    double perPathNs = bestPerPath / attemptedPerPath * 1e9, lanesNs = bestLanes / attemptedLanes * 1e9, fixedNs = bestFixed * 1e9;
    double cpuLanesNs = cpuLanes / attemptedLanes * 1e9, cpuFixedNs = cpuFixed * 1e9;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"paths\": {paths}, \"rtol\": {rtol}, \"rounds\": {rounds}, \"threads\": {Environment.ProcessorCount}, \"attempted_per_path_loop\": {attemptedPerPath}, \"attempted_lanes\": {attemptedLanes}, \"mean_x_lanes\": {meanLanes:R}, \"ns_per_attempted_path_step_per_path_loop\": {perPathNs:F1}, \"ns_per_attempted_path_step_lanes\": {lanesNs:F1}, \"ns_per_path_step_fixed\": {fixedNs:F1}, \"overhead_per_path_loop\": {perPathNs / fixedNs:F2}, \"overhead_lanes\": {lanesNs / fixedNs:F2}, \"cpu_ns_per_attempted_path_step_lanes\": {cpuLanesNs:F1}, \"cpu_ns_per_path_step_fixed\": {cpuFixedNs:F1}, \"cpu_overhead_lanes\": {cpuLanesNs / cpuFixedNs:F2}}}"));
    return 0;
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
    else if (api == "perpath")
    {
        var s = AdaptiveSde.Solve(Sde.Problem(new PerPathLorenz(lorenz), [1.0, 1.0, 20.0], 0, 1), new Sriw1(), adaptiveOptions);
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

/// <summary>The stochastic Lorenz without the time-independence declaration: AdaptiveSde's per-path loop.</summary>
internal readonly struct PerPathLorenz(StochasticLorenz inner) : IDrift, IAdditiveNoise
{
    public int Dimension => 3;
    public int NoiseDimension => 3;
    public NoiseKind Noise => NoiseKind.Diagonal;
    public bool StateIndependent => true;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => inner.Evaluate(t, x, dx, paths);
    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        var copy = inner;
        Diffusion(ref copy, t, x, g, paths);
    }

    // A constrained call: no boxing per step.
    private static void Diffusion<T>(ref T d, double t, ReadOnlySpan<double> x, Span<double> g, int paths) where T : struct, IDiffusion
        => d.Evaluate(t, x, g, paths);
}
