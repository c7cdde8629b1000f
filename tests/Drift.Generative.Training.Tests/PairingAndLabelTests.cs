using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Training;

namespace Drift.Generative.Training.Tests;

/// <summary>SB-CFM's bridge noise, mixture and CSV labels, and the mean-reverting center.</summary>
public sealed class PairingAndLabelTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("drift-labels").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void The_bridge_velocity_is_the_time_derivative_of_the_bridge_path_and_the_ends_are_pinned()
    {
        double[] x0 = [1, -2], x1 = [0.5, 3], z = [0.7, -1.3];
        double sigma = 0.6;
        double[] Path(double t, out double[] velocity)
        {
            var x = new double[2];
            velocity = new double[2];
            for (int j = 0; j < 2; j++) { x[j] = (1 - t) * x0[j] + t * x1[j]; velocity[j] = x1[j] - x0[j]; }
            BrownianBridgeNoise.Add(t, sigma, z, x, velocity);
            return x;
        }
        foreach (double t in new[] { 0.1, 0.37, 0.5, 0.8 })
        {
            double h = 1e-6;
            var plus = Path(t + h, out _);
            var minus = Path(t - h, out _);
            var x = Path(t, out var u);
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal((plus[j] - minus[j]) / (2 * h), u[j], 6);
                Assert.Equal((1 - t) * x0[j] + t * x1[j] + sigma * Math.Sqrt(t * (1 - t)) * z[j], x[j], 12);
            }
        }
        Assert.Equal(x0, Path(0, out _));
        Assert.Equal(x1, Path(1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Path(1.5, out _));
    }

    [Fact]
    public void Exact_mixture_points_are_labelled_by_their_component()
    {
        var data = PointDatasets.Generate("ring8", 2000, 3);
        Assert.Equal(8, data.Classes);
        var mixture = StandardMixtures.Get("ring8");
        var r = new double[8];
        int agree = 0;
        for (int i = 0; i < data.Count; i++)
        {
            mixture.Responsibilities(1, 0, data.Points.AsSpan(2 * i, 2), r);
            if (Array.IndexOf(r, r.Max()) == data.Labels![i]) agree++;
        }
        // ring8's modes are 2.3 radius units apart at σ = 0.25: the drawn component is the most probable one for all but
        // a vanishing fraction of points (a wrong label would agree 1/8 of the time).
        Assert.True(agree > 0.999 * data.Count, $"{agree} of {data.Count} labels agree with the posterior mode");
    }

    [Fact]
    public void A_csv_label_column_gives_classes_and_bad_labels_are_named()
    {
        string file = Path.Combine(dir, "points.csv");
        File.WriteAllLines(file, ["x0,label,x1", "1.5,2,-1", "0.25,0,3", "-2,1,0.5"]);
        var data = PointDatasets.Read(file);
        Assert.Equal(2, data.Dimension);
        Assert.Equal(3, data.Classes);
        Assert.Equal([2, 0, 1], data.Labels!);
        Assert.Equal([1.5, -1, 0.25, 3, -2, 0.5], data.Points);
        File.WriteAllLines(file, ["x0,x1,label", "1,2,0", "3,4,1.5"]);
        var e = Assert.Throws<InvalidDataException>(() => PointDatasets.Read(file));
        Assert.Contains("point 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("points.csv", e.Message, StringComparison.Ordinal);
        File.WriteAllLines(file, ["x0,x1", "1,2", "3,4"]);
        Assert.Null(PointDatasets.Read(file).Labels);
    }

    [Fact]
    public void A_mean_reverting_objective_noises_about_the_data_mean()
    {
        var sch = new MeanRevertingSchedule();
        double[] data = [2, 4, 4, 8, 6, 0];
        var options = new DiffusionTrainingOptions
        {
            Objective = DiffusionObjective.ScoreMatching(sch, Prediction.Data),
            Network = new NetworkSpec(NetworkKind.Mlp, 2, 8, 1),
            BatchSize = 3, Threads = 1,
        };
        using var trainer = new DiffusionTrainer<double>(data, null, options);
        Assert.Equal([4.0, 4.0], trainer.DataMean);
        var objective = trainer.Options.Objective;
        Assert.Equal([4.0, 4.0], objective.Center);
        double t = 0.3, a = sch.Alpha(t), s = sch.Sigma(t);
        var xt = new double[2];
        var target = new double[2];
        objective.Row(t, [2, 4], [0.5, -1], xt, target);
        Assert.Equal(4 + a * (2 - 4) + s * 0.5, xt[0], 12);
        Assert.Equal(4 + a * (4 - 4) - s, xt[1], 12);
        Assert.Equal([2.0, 4.0], target); // the data prediction is in x-space, as for the centred exact model
        Assert.Throws<ArgumentException>(() => DiffusionObjective.Edm().WithCenter([1.0, 2.0]));
    }
}
