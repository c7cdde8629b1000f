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
