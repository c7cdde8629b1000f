using BenchmarkDotNet.Attributes;
using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;

namespace Drift.Benchmarks;

/// <summary>
/// Underdamped Langevin in the 1-D double well U = (q² − 1)², γ = β = 1: 10⁵ particles × 1000 steps
/// (10⁸ particle-steps per operation) with BAOAB and UBU, on one thread and on every core.
/// </summary>
[MemoryDiagnoser]
public class LangevinBenchmark
{
    private static readonly DoubleWellPotential Potential = new(1);

    /// <summary>Worker threads (0 = all cores).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private EnsembleOptions Options => new() { Paths = 100_000, Steps = 1000, Seed = 1, Threads = Threads, TrackQuantiles = false };

    [Benchmark(Baseline = true)]
    public double Baoab() =>
        LangevinEnsemble.Solve(new Baoab<DoubleWellPotential>(Potential, 1.0, 1.0), [0.0], null, 10.0, Options).Final(0).Variance;

    [Benchmark]
    public double Ubu() =>
        LangevinEnsemble.Solve(new Ubu<DoubleWellPotential>(Potential, 1.0, 1.0), [0.0], null, 10.0, Options).Final(0).Variance;
}
