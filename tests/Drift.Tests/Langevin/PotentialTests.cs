using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

public class PotentialTests
{
    private const int Paths = 37; // not a multiple of any lane width: exercises the scalar tails

    private static double[] Positions(int n)
    {
        var q = new double[n * Paths];
        for (int i = 0; i < q.Length; i++) q[i] = Math.Sin(1.7 * i + 0.3) * 1.8;
        return q;
    }

    /// <summary>Checks ∇U and ΔU against central differences of U (step 1e-4: error ~1e-8).</summary>
    private static void AssertDerivativesMatchFiniteDifferences<T>(T potential) where T : struct, ILaplacianPotential
    {
        int n = potential.Dimension;
        var q = Positions(n);
        var g = new double[n * Paths];
        var lap = new double[Paths];
        var u0 = new double[Paths];
        potential.Gradient(q, g, Paths);
        potential.Laplacian(q, lap, Paths);
        potential.Value(q, u0, Paths);
        const double e = 1e-4;
        var second = new double[Paths];
        for (int i = 0; i < n; i++)
        {
            var plus = (double[])q.Clone();
            var minus = (double[])q.Clone();
            for (int p = 0; p < Paths; p++) { plus[i * Paths + p] += e; minus[i * Paths + p] -= e; }
            var up = new double[Paths];
            var um = new double[Paths];
            potential.Value(plus, up, Paths);
            potential.Value(minus, um, Paths);
            for (int p = 0; p < Paths; p++)
            {
                Assert.Equal((up[p] - um[p]) / (2 * e), g[i * Paths + p], 1e-6);
                second[p] += (up[p] - 2 * u0[p] + um[p]) / (e * e);
            }
        }
        for (int p = 0; p < Paths; p++) Assert.Equal(second[p], lap[p], 1e-5);
    }

    [Fact]
    public void Harmonic_gradient_and_Laplacian_are_the_derivatives_of_its_energy()
    {
        AssertDerivativesMatchFiniteDifferences(new HarmonicPotential(3, 2.5));
        var u = new double[Paths];
        var q = Positions(3);
        new HarmonicPotential(3, 2.5).Value(q, u, Paths);
        for (int p = 0; p < Paths; p++)
            Assert.Equal(1.25 * (q[p] * q[p] + q[Paths + p] * q[Paths + p] + q[2 * Paths + p] * q[2 * Paths + p]), u[p], 1e-12);
    }

    [Fact]
    public void Double_well_energy_gradient_and_Laplacian_match_the_formulas_and_each_other()
    {
        AssertDerivativesMatchFiniteDifferences(new DoubleWellPotential(2));
        var q = Positions(2);
        var u = new double[Paths];
        new DoubleWellPotential(2).Value(q, u, Paths);
        for (int p = 0; p < Paths; p++)
        {
            double a = q[p] * q[p] - 1, b = q[Paths + p] * q[Paths + p] - 1;
            Assert.Equal(a * a + b * b, u[p], 1e-12);
        }
    }

    [Fact]
    public void Delegate_potential_gives_the_same_paths_as_the_struct_it_imitates()
    {
        var adapter = new PotentialFunction(1,
            (q, g, n) => { for (int p = 0; p < n; p++) g[p] = 4 * q[p] * (q[p] * q[p] - 1); },
            (q, u, n) => { for (int p = 0; p < n; p++) u[p] = (q[p] * q[p] - 1) * (q[p] * q[p] - 1); },
            (q, l, n) => { for (int p = 0; p < n; p++) l[p] = 12 * q[p] * q[p] - 4; });
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 1000, Seed = 5, KeepPaths = true, TrackQuantiles = false };
        var a = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<PotentialFunction>(adapter, 1, 1), [0.5], null, 10), options);
        var b = DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(new DoubleWellPotential(1), 1, 1), [0.5], null, 10), options);
        for (int p = 0; p < 1000; p++) Assert.Equal(b.State(0, p)[0], a.State(0, p)[0], 9);
    }

    [Fact]
    public void Langevin_results_are_bit_identical_for_any_thread_count_and_chunk_size()
    {
        var potential = new DoubleWellPotential(3);
        foreach (bool ubu in new[] { false, true })
        {
            Solution? reference = null;
            foreach (var (threads, chunk) in new[] { (1, 256), (2, 1024), (8, 512) })
            {
                var options = new SolveOptions { Controller = ConstantStep.WithSteps(50), Paths = 3000, Seed = 8, Threads = threads, ChunkSize = chunk, KeepPaths = true, Save = SaveAt.EveryStep(10) };
                var s = ubu
                    ? DiffEq.Solve(LangevinEnsemble.Problem(new Ubu<DoubleWellPotential>(potential, 0.7, 1.5), [0.1, -0.2, 0.3], [1.0, 0.0, -1.0], 5), options)
                    : DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(potential, 0.7, 1.5), [0.1, -0.2, 0.3], [1.0, 0.0, -1.0], 5), options);
                if (reference is null) { reference = s; continue; }
                for (int save = 0; save < s.Times.Count; save++)
                    for (int i = 0; i < 6; i++)
                    {
                        Assert.Equal(reference.Moments(save, i), s.Moments(save, i));
                        Assert.True(reference.PathsAt(save, i).SequenceEqual(s.PathsAt(save, i)));
                    }
            }
        }
    }

    [Fact]
    public void Counters_report_one_gradient_per_step()
    {
        var s = DiffEq.Solve(LangevinEnsemble.Problem(new Ubu<HarmonicPotential>(new HarmonicPotential(1, 1), 1, 1), [0.0], null, 1), new SolveOptions { Controller = ConstantStep.WithSteps(17), Paths = 256 });
        Assert.Equal(new SolveCounters(17, 17, 0), s.Ensemble.Counters);
    }
}
