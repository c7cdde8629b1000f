using BenchmarkDotNet.Attributes;
using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

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

    private SolveOptions Options => new() { Controller = ConstantStep.WithSteps(1000), Paths = 100_000, Seed = 1, Threads = Threads, TrackQuantiles = false };

    [Benchmark(Baseline = true)]
    public double Baoab() =>
        DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(Potential, 1.0, 1.0), [0.0], null, 10.0), Options).Final(0).Variance;

    [Benchmark]
    public double Ubu() =>
        DiffEq.Solve(LangevinEnsemble.Problem(new Ubu<DoubleWellPotential>(Potential, 1.0, 1.0), [0.0], null, 10.0), Options).Final(0).Variance;
}
