using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;
using Drift.Tests.Solve;

namespace Drift.Tests.Ensembles;

public class EnsembleTests
{
    private static readonly StochasticLorenz Lorenz = StochasticLorenz.Classic(3.0);
    private static SdeProblem<StochasticLorenz, StochasticLorenz> LorenzProblem => new(Lorenz, Lorenz, [1.0, 1.0, 20.0], 0, 1);

    [Fact]
    public void Results_are_bit_identical_for_1_2_and_8_threads_and_any_chunk_size()
    {
        Solution? reference = null;
        foreach (int threads in new[] { 1, 2, 8 })
            foreach (int chunk in new[] { 256, 1024, 4096 })
            {
                var s = DiffEq.Solve(LorenzProblem, new EulerMaruyama(), new SolveOptions
                {
                    Controller = ConstantStep.WithSteps(100), Paths = 5000, Seed = 17, Threads = threads, ChunkSize = chunk, KeepPaths = true, Save = SaveAt.EveryStep(25),
                });
                if (reference is null) { reference = s; continue; }
                for (int save = 0; save < s.Times.Count; save++)
                    for (int i = 0; i < 3; i++)
                    {
                        Assert.Equal(reference.Moments(save, i), s.Moments(save, i));
                        Assert.Equal(reference.Quantile(save, i, 0.9), s.Quantile(save, i, 0.9));
                        Assert.True(reference.PathsAt(save, i).SequenceEqual(s.PathsAt(save, i)));
                    }
            }
    }

    [Fact]
    public void Ensemble_results_are_identical_on_every_instruction_set()
    {
        // Recorded with AVX-512; CI re-runs this test with AVX-512 off (AVX2) and AVX2 off (scalar).
        var s = DiffEq.Solve(LorenzProblem, new Milstein(Calculus.Ito), new SolveOptions { Controller = ConstantStep.WithSteps(50), Paths = 1000, Seed = 5, KeepPaths = true });
        long hash = 17;
        for (int i = 0; i < 3; i++)
            foreach (double v in s.PathsAt(0, i)) hash = hash * 31 + BitConverter.DoubleToInt64Bits(v);
        Assert.Equal(GoldenEnsembleHash, hash);
    }

    private const long GoldenEnsembleHash = -8798264269918108099;

    [Fact]
    public void Shards_merge_into_the_whole_run()
    {
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(50), Paths = 3000, Seed = 4, KeepPaths = true };
        var whole = DiffEq.Solve(LorenzProblem, new EulerMaruyama(), options);
        var a = DiffEq.Solve(LorenzProblem, new EulerMaruyama(), options with { Paths = 1280 });
        var b = DiffEq.Solve(LorenzProblem, new EulerMaruyama(), options with { FirstPath = 1280, Paths = 1720 });
        var merged = EnsembleSolution.Merge(a.Ensemble, b.Ensemble);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(whole.Final(i).Mean, merged.Final(i).Mean, 1e-12);
            Assert.Equal(whole.Final(i).Variance, merged.Final(i).Variance, 1e-9);
            Assert.Equal(whole.Final(i).Count, merged.Final(i).Count);
            Assert.Equal(whole.Quantile(0, i, 0.25), merged.Quantile(0, i, 0.25));
            Assert.True(whole.PathsAt(0, i).SequenceEqual(merged.PathsAt(0, i)));
        }
        Assert.Throws<ArgumentException>(() => EnsembleSolution.Merge(b.Ensemble, a.Ensemble));
    }

    [Fact]
    public void Divergent_paths_are_reported_with_index_time_and_cause_and_left_out_of_statistics()
    {
        // dx = x² dt blows up at t = 1/x0: paths with x0 = 1 + p/1000 blow up before t = 0.9 when p ≥ 112.
        var problem = new SdeProblem<Quadratic, Quadratic>(default, default, [0.0], 0, 0.9)
        {
            PathInitialStates = (first, paths, x) => { for (int p = 0; p < paths; p++) x[p] = 0.1 + (first + p) / 1000.0 * 10; },
        };
        var s = DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(4000), Paths = 512, KeepPaths = true, ChunkSize = 256 });
        Assert.Equal(SolveStatus.NonFinite, s.Status);
        Assert.True(s.FailedPaths > 0);
        Assert.Equal(512 - s.FailedPaths, s.Final(0).Count);
        var first = s.Failures[0];
        Assert.True(double.IsInfinity(first.Value) || double.IsNaN(first.Value));
        Assert.InRange(first.Time, 0.0, 0.9);
        Assert.Contains($"path {first.Path}", first.ToString());
        Assert.True(double.IsNaN(s.State(0, first.Path)[0]));
        Assert.True(s.Failures.Zip(s.Failures.Skip(1)).All(p => p.First.Path < p.Second.Path));
        // Larger x0 blows up sooner: the exact blow-up time 1/x0 bounds the reported time from below.
        foreach (var d in s.Failures)
            Assert.True(d.Time >= 1 / (0.1 + d.Path / 100.0) - 1e-9);
        Assert.True(double.IsFinite(s.Final(0).Mean));
    }

    [Fact]
    public void Save_times_off_the_grid_are_added_and_every_kth_step_includes_both_ends()
    {
        var ou = new OrnsteinUhlenbeck(1, 0, 1);
        var problem = new SdeProblem<OrnsteinUhlenbeck, OrnsteinUhlenbeck>(ou, ou, [5.0], 0, 1);
        var s = DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 300, Save = SaveAt.Times(0.0, 0.33, 1.0) });
        Assert.Equal(new[] { 0.0, 0.33, 1.0 }, s.Times);
        Assert.Equal(5.0, s.Moments(0, 0).Mean);
        Assert.Equal(0.0, s.Moments(0, 0).Variance);
        var every = DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 300, Save = SaveAt.EveryStep(4) });
        Assert.Equal(new[] { 0.0, 0.4, 0.8, 1.0 }, every.Times.Select(t => Math.Round(t, 12)).ToArray());
        var dt = TimeGrid.Create(0, 1, null, 0.3, SaveAt.Final);
        Assert.Equal(new[] { 0.0, 0.3, 0.6, 0.9, 1.0 }, dt.Times.Select(t => Math.Round(t, 12)).ToArray());
    }

    [Fact]
    public void Cancellation_stops_the_solve_and_says_so()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var s = DiffEq.Solve(LorenzProblem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 10_000, CancellationToken = cts.Token });
        Assert.Equal(SolveStatus.Cancelled, s.Status);
    }

    [Fact]
    public void Progress_reaches_every_path()
    {
        long last = 0;
        var progress = new SynchronousProgress(p => Interlocked.Exchange(ref last, Math.Max(last, p.PathsDone)));
        DiffEq.Solve(LorenzProblem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 3000, Progress = progress });
        Assert.Equal(3000, last);
    }

    private sealed class SynchronousProgress(Action<EnsembleProgress> report) : IProgress<EnsembleProgress>
    {
        public void Report(EnsembleProgress value) => report(value);
    }

    [Fact]
    public void Counters_count_steps_and_evaluations()
    {
        var strat = new SdeProblem<StochasticLorenz, StochasticLorenz>(Lorenz, Lorenz, [1, 1, 1], 0, 1, Calculus.Stratonovich);
        var s = DiffEq.Solve(strat, new EulerHeun(), new SolveOptions { Controller = ConstantStep.WithSteps(40), Paths = 10 });
        Assert.Equal(new SolveCounters(40, 80, 80), s.Ensemble.Counters);
    }

    [Fact]
    public void Solvers_refuse_noise_kinds_and_calculi_they_cannot_integrate()
    {
        var strat = new SdeProblem<StochasticLorenz, StochasticLorenz>(Lorenz, Lorenz, [1, 1, 1], 0, 1, Calculus.Stratonovich);
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 10 };
        var gbmStrat = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(new GeometricBrownianMotion(0.1, 0.2), new GeometricBrownianMotion(0.1, 0.2), [1.0], 0, 1, Calculus.Stratonovich);
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(gbmStrat, new EulerMaruyama(), options));
        Assert.Contains("Stratonovich", e.Message);
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(strat, new EulerMaruyama(), options).Status);
        // The stochastic Lorenz's noise εI is additive (in a diagonal layout): Itô and Stratonovich coincide, SRA1 applies.
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(LorenzProblem, new EulerHeun(), options).Status);
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(LorenzProblem, new Sra1(), options).Status);
        Assert.Equal(SolveStatus.Success, DiffEq.Solve(strat, new Milstein(Calculus.Ito), options).Status);
        var gbmProblem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(new GeometricBrownianMotion(0.1, 0.2), new GeometricBrownianMotion(0.1, 0.2), [1.0], 0, 1);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(gbmProblem, new EulerHeun(), options));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbmProblem.Drift, gbmProblem.Diffusion, [1.0], 0, 1, Calculus.Stratonovich), new Milstein(Calculus.Ito), options));
        var gbm = new GeometricBrownianMotion(0.1, 0.2);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1), new Sra1(), options));
    }

    [Fact]
    public void Bad_options_and_problems_get_clear_errors()
    {
        var p = LorenzProblem;
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 0 }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), ChunkSize = 100 }));
        // Steps and Dt together cannot be written as a ConstantStep; the layer underneath still refuses them.
        Assert.Throws<ArgumentException>(() => Ensemble.Solve(p, new EulerMaruyama(), new EnsembleOptions { Steps = 10, Dt = 0.1 }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = null! }));
        Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(0) }));
        Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSize(-1) }));
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(p, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(10), Save = SaveAt.Times(2.0) }));
        Assert.Throws<ArgumentException>(() => new SdeProblem<StochasticLorenz, StochasticLorenz>(Lorenz, Lorenz, [1, 1], 0, 1));
        Assert.Throws<ArgumentException>(() => new SdeProblem<StochasticLorenz, StochasticLorenz>(Lorenz, Lorenz, [1, double.NaN, 1], 0, 1));
        Assert.Throws<ArgumentException>(() => new SdeProblem<StochasticLorenz, StochasticLorenz>(Lorenz, Lorenz, [1, 1, 1], 1, 1));
    }
}
