using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;
using Drift.Tests.Solve;

namespace Drift.Tests.Ensembles;

/// <summary>The SIMD-lane adaptive loop (time-independent problems, SRA1/SRIW1) against closed forms and itself.</summary>
public class AdaptiveSdeLanesTests
{
    private const double Mu = 1.0, Sigma = 1.5;
    private static readonly GbmWithWitness Lanes = new(Mu, Sigma, timeIndependent: true);
    private static readonly GbmWithWitness PerPath = new(Mu, Sigma);

    private static AdaptiveSdeSolution Solve<TModel>(TModel model, double rtol, long paths, int threads = 0, int lanes = 0, int record = 0, int chunk = 256, SaveAt? save = null)
        where TModel : struct, IDrift, IDiffusion =>
        AdaptiveSde.Solve(new SdeProblem<TModel, TModel>(model, model, [1.0, 0.0], 0, 1), new Sriw1(), new AdaptiveSdeOptions
        {
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = rtol, AbsoluteTolerance = rtol },
            Paths = paths, Seed = 12, KeepPaths = true, Threads = threads, LaneWidth = lanes, RecordStepsOfPaths = record, ChunkSize = chunk,
            Save = save ?? SaveAt.Final,
        });

    /// <summary>Mean |X(1) − exp((μ − σ²/2) + σW(1))| with W(1) read from the witness component.</summary>
    private static double StrongError(AdaptiveSdeSolution s)
    {
        var x = s.Ensemble.PathsAt(s.Ensemble.Times.Length - 1, 0);
        var w = s.Ensemble.PathsAt(s.Ensemble.Times.Length - 1, 1);
        double sum = 0;
        for (int p = 0; p < x.Length; p++) sum += Math.Abs(x[p] - Math.Exp(Mu - 0.5 * Sigma * Sigma + Sigma * w[p]));
        return sum / x.Length;
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count_lane_width_and_chunk_size()
    {
        var reference = Solve(Lanes, 1e-2, 400, threads: 1, record: 3);
        Assert.True(reference.Statistics.RejectedSteps > 0);
        foreach (var other in new[]
        {
            Solve(Lanes, 1e-2, 400, threads: 2, record: 3),
            Solve(Lanes, 1e-2, 400, threads: 2, lanes: 1, record: 3),
            Solve(Lanes, 1e-2, 400, threads: 1, lanes: 7, record: 3),
            Solve(Lanes, 1e-2, 400, threads: 2, lanes: 200, chunk: 512, record: 3),
        })
        {
            for (int i = 0; i < 2; i++) Assert.True(reference.Ensemble.PathsAt(0, i).SequenceEqual(other.Ensemble.PathsAt(0, i)));
            Assert.Equal(reference.Statistics, other.Statistics);
            Assert.Equal(reference.Steps, other.Steps);
        }
        // The per-path loop (forced) reads another Brownian source: same law, other bits.
        var perPath = Solve(Lanes, 1e-2, 400, lanes: -1);
        Assert.False(reference.Ensemble.PathsAt(0, 1).SequenceEqual(perPath.Ensemble.PathsAt(0, 1)));
    }

    [Fact]
    public void Strong_error_against_the_closed_form_falls_with_the_tolerance_as_on_the_per_path_loop()
    {
        var errors = new List<double>();
        var steps = new List<long>();
        foreach (double rtol in new[] { 1e-1, 1e-2, 1e-3 })
        {
            var s = Solve(Lanes, rtol, 800);
            Assert.Equal(SolveStatus.Success, s.Ensemble.Status);
            errors.Add(StrongError(s));
            steps.Add(s.Statistics.AcceptedSteps);
            if (rtol == 1e-2)
            {
                // W(1), read through adaptive steps with rejections, is standard normal.
                Assert.True(s.Statistics.RejectedSteps > 0);
                Assert.True(StatisticalTests.KolmogorovSmirnovPValue(s.Ensemble.PathsAt(0, 1).ToArray(), StatisticalTests.NormalCdf) > 1e-3);
                // The same method and controller on the per-path loop: the same accuracy for the same work, within sampling noise.
                var perPath = Solve(PerPath, rtol, 800);
                double ratio = StrongError(s) / StrongError(perPath);
                Assert.InRange(ratio, 0.7, 1.4);
                Assert.InRange(s.Statistics.AcceptedSteps / (double)perPath.Statistics.AcceptedSteps, 0.9, 1.1);
            }
        }
        for (int i = 1; i < errors.Count; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"error {errors[i]} at tolerance {i} is not below {errors[i - 1]}");
            Assert.True(steps[i] > steps[i - 1]);
        }
        Assert.True(errors[^1] < 0.1 * errors[0], $"errors {string.Join(", ", errors)}");
    }

    [Fact]
    public void Save_times_are_landed_on_and_recorded_steps_tile_each_path()
    {
        var s = Solve(Lanes, 1e-2, 2000, record: 3, save: SaveAt.Times(0.25, 0.5, 1.0));
        Assert.Equal(new[] { 0.25, 0.5, 1.0 }, s.Ensemble.Times);
        foreach (var (save, t) in new[] { (0, 0.25), (1, 0.5), (2, 1.0) })
        {
            // W(t) from the witness is N(0, t); E X(t) = e^{μt}.
            var m = s.Ensemble.Moments(save, 1);
            Assert.True(Math.Abs(m.Mean) < 4.5 * m.StandardError);
            Assert.True(Math.Abs(m.Variance - t) < 4.5 * t * Math.Sqrt(2.0 / m.Count), $"t = {t}: var W = {m.Variance}");
            var x = s.Ensemble.Moments(save, 0);
            Assert.True(Math.Abs(x.Mean - Math.Exp(Mu * t)) < 4.5 * x.StandardError, $"t = {t}: mean X {x.Mean} vs {Math.Exp(Mu * t)}");
        }
        foreach (long path in new long[] { 0, 1, 2 })
        {
            var steps = s.Steps.Where(r => r.Path == path).Select(r => r.Step).ToList();
            Assert.All(steps.Where(r => r.Accepted), r => Assert.True(r.ErrorNorm <= 1));
            Assert.All(steps.Where(r => !r.Accepted), r => Assert.True(r.ErrorNorm > 1));
            var accepted = steps.Where(r => r.Accepted).ToList();
            Assert.Equal(0.0, accepted[0].Time);
            for (int i = 1; i < accepted.Count; i++) Assert.Equal(accepted[i - 1].Time + accepted[i - 1].Size, accepted[i].Time, 1e-12);
            Assert.Equal(1.0, accepted[^1].Time + accepted[^1].Size, 1e-12);
        }
        Assert.DoesNotContain(s.Steps, r => r.Path >= 3);
    }

    [Fact]
    public void Paths_that_blow_up_are_reported_and_their_lanes_refilled()
    {
        var blowUp = new ScalarSde((_, x) => x * x, (_, _) => 0.1, NoiseKind.Additive, timeIndependent: true);
        var problem = new SdeProblem<ScalarSde, ScalarSde>(blowUp, blowUp, [2.0], 0, 1);
        var s = AdaptiveSde.Solve(problem, new Sra1(), new AdaptiveSdeOptions { Controller = PidController.StochasticDefault, Paths = 20, Seed = 1, LaneWidth = 8 });
        Assert.Equal(SolveStatus.Diverged, s.Ensemble.Status);
        Assert.Equal(20, s.Ensemble.DivergedPaths);
        Assert.All(s.Ensemble.Divergences, d => Assert.InRange(d.Time, 0.3, 0.7));
        Assert.Equal(Enumerable.Range(0, 20).Select(p => (long)p), s.Ensemble.Divergences.Select(d => d.Path).Order());
    }
}
