using BenchmarkDotNet.Attributes;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Benchmarks;

/// <summary>
/// The reference workload: GBM dX = 0.05 X dt + 0.2 X dW, X0 = 1, T = 1, 10⁵ paths × 1000
/// Euler–Maruyama steps (10⁸ path-steps per operation), on one thread and on every core.
/// </summary>
[MemoryDiagnoser]
public class GbmEnsembleBenchmark
{
    private readonly SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion> _problem;

    public GbmEnsembleBenchmark()
    {
        var gbm = new GeometricBrownianMotion(0.05, 0.2);
        _problem = new(gbm, gbm, [1.0], 0, 1);
    }

    /// <summary>Worker threads (0 = all cores).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    [Benchmark]
    public double EulerMaruyama() =>
        DiffEq.Solve(_problem, new EulerMaruyama(), new SolveOptions
        {
            Controller = ConstantStep.WithSteps(1000), Paths = 100_000, Seed = 1, Threads = Threads, TrackQuantiles = false,
        }).Final(0).Mean;
}
