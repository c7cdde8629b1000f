using Drift.Generative.Metrics;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Training;
using Drift.Random;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

/// <summary>Reflow (Liu et al. 2022) straightens a trained flow's paths and improves its one-step samples.</summary>
public class ReflowTests(ITestOutputHelper output)
{
    [Fact]
    public void Reflow_straightens_the_paths_and_brings_one_step_Euler_samples_closer_to_the_target()
    {
        var mixture = StandardMixtures.Get("skewed2d");
        var data = PointDatasets.Generate("skewed2d", 4096, 5);
        DiffusionTrainingOptions Options(double[]? paired) => new()
        {
            Objective = DiffusionObjective.FlowMatching(),
            Network = new NetworkSpec(NetworkKind.Mlp, 2, 64, 2),
            BatchSize = 256, LearningRate = 3e-3, EmaDecay = 0.95, Seed = 4, Threads = 2, PairedNoise = paired,
        };
        using var first = new DiffusionTrainer<float>(data.Points, null, Options(null));
        for (int k = 0; k < 300; k++) first.Step();
        var flow = first.Model();
        var (noise, samples) = Reflow.GeneratePairs(flow, 4096, 8, seed: 11, first.DataMean);
        using var second = new DiffusionTrainer<float>(samples, null, Options(noise));
        for (int k = 0; k < 300; k++) second.Step();
        var reflowed = second.Model();

        int n = 500;
        var z = new double[2 * n];
        new PhiloxNormals(21).FillStream(0, 0, z);
        var exact = new double[2 * n];
        mixture.Sample(1, 0, 22, 0, exact, n);
        var floorSet = new double[2 * n];
        mixture.Sample(1, 0, 23, 0, floorSet, n);
        double floor = SampleMetrics.SlicedWasserstein2(floorSet, exact, n, 2);
        (double Curvature, double OneStep, double Many) Measure(IDiffusionModel model)
        {
            var (many, curvature) = FlowPaths.Euler(model, z, n, 40);
            var (one, _) = FlowPaths.Euler(model, z, n, 1);
            return (curvature, SampleMetrics.SlicedWasserstein2(one, exact, n, 2), SampleMetrics.SlicedWasserstein2(many, exact, n, 2));
        }
        var before = Measure(flow);
        var after = Measure(reflowed);
        output.WriteLine($"straightness (mean max deviation from the chord / chord length): 1-rectified {before.Curvature:G4}, reflowed {after.Curvature:G4} "
            + $"({before.Curvature / after.Curvature:F1}× straighter)");
        output.WriteLine($"sliced W2 to exact samples, 1 Euler step: {before.OneStep:G4} → {after.OneStep:G4}; 40 steps: {before.Many:G4} → {after.Many:G4}; floor {floor:G4}");
        Assert.True(after.Curvature < 0.5 * before.Curvature, "reflow must straighten the paths by at least 2×");
        Assert.True(after.OneStep < 0.7 * before.OneStep, "reflow must bring one-step samples closer to the target");
    }
}
