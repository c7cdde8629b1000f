using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>Trajectories at every event: the same runs as the ensemble, bit for bit, and a consistent event record.</summary>
public class TrajectoryTests
{
    [Theory]
    [InlineData(JumpMethod.Direct)]
    [InlineData(JumpMethod.SortingDirect)]
    [InlineData(JumpMethod.NextReaction)]
    [InlineData(JumpMethod.Rejection)]
    public void Every_event_trajectory_is_the_ensemble_run_at_the_save_times(JumpMethod method)
    {
        var network = Models.Dimerisation;
        double[] saves = [0.5, 2, 7.25, 10];
        var options = new JumpOptions { Runs = 256, Seed = 17, SaveTimes = saves, KeepPaths = true };
        var ensemble = JumpSimulator.Simulate(network, method, 10, options);
        foreach (long run in new long[] { 0, 1, 100, 255 })
        {
            var path = JumpSimulator.Trajectory(network, method, 10, options, run);
            Assert.False(path.Stopped);
            Assert.True(path.EventCount > 10);
            Assert.All(path.EventTimes, t => Assert.InRange(t, 0, 10));
            for (int s = 0; s < saves.Length; s++)
            {
                var state = path.StateAt(saves[s]);
                for (int i = 0; i < network.SpeciesCount; i++)
                    Assert.Equal(ensemble.Statistics.Path(s, i, run), state[i]);
            }
        }
    }

    [Theory]
    [InlineData(JumpMethod.Direct)]
    [InlineData(JumpMethod.Rejection)]
    public void The_trajectory_sink_gets_every_run_once_from_the_simulation_that_makes_the_statistics(JumpMethod method)
    {
        var network = Models.Dimerisation;
        var options = new JumpOptions { Runs = 512, Seed = 23, SaveTimes = [1, 4], Threads = 2 };
        var paths = new System.Collections.Concurrent.ConcurrentDictionary<long, JumpTrajectory>();
        int calls = 0;
        var withSink = JumpSimulator.Simulate(network, method, 4, options with
        {
            Trajectories = (run, path) =>
            {
                Interlocked.Increment(ref calls);
                Assert.True(paths.TryAdd(run, path), $"run {run} twice");
            },
        });
        var plain = JumpSimulator.Simulate(network, method, 4, options);
        Assert.Equal(512, calls);
        Assert.Equal(Enumerable.Range(0, 512).Select(r => (long)r), paths.Keys.Order());
        Assert.Equal(withSink.Events, paths.Values.Sum(p => (long)p.EventCount)); // the statistics' events are the paths' events
        Assert.Equal(plain.Events, withSink.Events);
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < network.SpeciesCount; i++) Assert.Equal(plain.Statistics.Moments(s, i), withSink.Statistics.Moments(s, i));
        foreach (long run in new long[] { 0, 255, 256, 511 })
        {
            var single = JumpSimulator.Trajectory(network, method, 4, options, run);
            Assert.Equal(single.EventTimes, paths[run].EventTimes);
            Assert.Equal(single.Reactions, paths[run].Reactions);
            Assert.Equal(4, paths[run].EndTime);
        }
        Assert.Throws<ArgumentException>(() => JumpSimulator.Simulate(network, JumpMethod.TauLeap, 4, options with { Trajectories = (_, _) => { } }));
    }

    [Fact]
    public void Pieces_cover_the_window_and_the_event_limit_stops_the_run()
    {
        var network = Models.ImmigrationDeath;
        var path = JumpSimulator.Trajectory(network, JumpMethod.Direct, 3, new JumpOptions { Seed = 2 });
        double covered = 0;
        int pieces = 0;
        path.ForEachPiece((x, a, b) => { covered += b - a; pieces++; });
        Assert.Equal(3, covered, 12);
        Assert.Equal(path.EventCount + 1, pieces);
        var stopped = JumpSimulator.Trajectory(network, JumpMethod.Direct, 3, new JumpOptions { Seed = 2, MaxEventsPerRun = 5 });
        Assert.True(stopped.Stopped);
        Assert.Equal(5, stopped.EventCount);
        Assert.Equal(path.EventTimes.Take(5), stopped.EventTimes);
        Assert.Throws<ArgumentException>(() => JumpSimulator.Trajectory(network, JumpMethod.TauLeap, 3));
    }

    [Fact]
    public void A_trajectory_built_from_data_is_validated()
    {
        var network = Models.ImmigrationDeath; // reaction 0: 0 -> A, reaction 1: A -> 0
        var ok = new JumpTrajectory(network, [0], [0.1, 0.2, 0.4], [0, 0, 1], 1);
        Assert.Equal([1L], ok.StateAt(0.4));
        Assert.Equal([2L], ok.StateAt(0.39));
        var negative = Assert.Throws<ArgumentException>(() => new JumpTrajectory(network, [0], [0.1], [1], 1));
        Assert.Contains("negative", negative.Message);
        Assert.Throws<ArgumentException>(() => new JumpTrajectory(network, [0], [0.2, 0.1], [0, 0], 1));
        Assert.Throws<ArgumentException>(() => new JumpTrajectory(network, [0], [0.1], [2], 1));
        Assert.Throws<ArgumentException>(() => new JumpTrajectory(network, [0], [1.5], [0], 1));
    }
}
