using Drift.Generative.Guidance;
using Drift.Generative.Models;
using Drift.Generative.Training;

namespace Drift.Generative.Training.Tests;

/// <summary>Bit-identical training across thread counts and across a checkpoint; a checkpoint loads as the same model.</summary>
public sealed class DeterminismTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("drift-training-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static DiffusionTrainingOptions Options(int threads, Coupling coupling = Coupling.Entropic) => new()
    {
        // EDM (normal times), the entropic coupling (uniform choices) and label dropout: every random path of a step.
        Objective = DiffusionObjective.Edm(),
        Coupling = coupling,
        EntropicEpsilon = 0.2,
        Network = new NetworkSpec(NetworkKind.ResidualMlp, 2, 32, 2, Classes: 8),
        BatchSize = 128, LearningRate = 1e-3, EmaDecay = 0.9, Seed = 11, Threads = threads, ShardRows = 32, LabelDropout = 0.2,
    };

    static readonly PointData Data = PointDatasets.Generate("eight-gaussians", 1000, 4);

    static double[] Weights(DiffusionTrainer<double> t) => [.. t.Network.Parameters().SelectMany(p => p.ToArray()), .. t.Ema!.Averages.SelectMany(p => p.ToArray())];

    [Fact]
    public void The_kernels_of_the_networks_give_the_same_bits_at_every_alignment()
    {
        // TensorPrimitives' Sum, Sin, Cos, Tanh and Sigmoid give results that depend on the span's address (aligned
        // loads, per-vector special-value fallbacks); Drift.Learning's ops must not. The same values are placed at
        // offsets 0..7 of a buffer (views of different alignment) with some large entries that trigger the fallbacks.
        int n = 1000;
        var values = Enumerable.Range(0, n).Select(i => 3 * Math.Sin(0.37 * i) + (i % 97 == 0 ? 800 : 0)).ToArray();
        Func<Drift.Learning.Autodiff.Tensor<double>, Drift.Learning.Autodiff.Tensor<double>>[] ops =
        [
            Drift.Learning.Autodiff.Ops.Sin, Drift.Learning.Autodiff.Ops.Cos, Drift.Learning.Autodiff.Ops.Tanh, Drift.Learning.Autodiff.Ops.Sigmoid,
            Drift.Learning.Autodiff.Ops.Silu, Drift.Learning.Autodiff.Ops.Exp, t => Drift.Learning.Autodiff.Ops.Sum(t),
            t => Drift.Learning.Autodiff.Ops.Sum(Drift.Learning.Autodiff.Ops.Reshape(t, [10, 100]), 1),
            t => Drift.Learning.Autodiff.Ops.Mse(t, Drift.Learning.Autodiff.Ops.Scale(t, 0.5)),
        ];
        for (int o = 0; o < ops.Length; o++)
        {
            double[]? reference = null;
            for (int offset = 0; offset < 8; offset++)
            {
                var buffer = new double[n + 8];
                values.CopyTo(buffer, offset);
                var view = Drift.Learning.Autodiff.Tensor<double>.Wrap(buffer, n + 8).Slice(offset, n);
                var result = ops[o](view).ToArray();
                if (reference is null) reference = result;
                else Assert.True(reference.AsSpan().SequenceEqual(result), $"op {o} differs at offset {offset}");
            }
        }
    }

    [Fact]
    public void Training_is_bit_identical_on_1_2_and_8_threads()
    {
        double[]? reference = null;
        foreach (int threads in new[] { 1, 2, 8 })
        {
            using var trainer = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(threads, Coupling.ExactOt));
            for (int k = 0; k < 4; k++) trainer.Step();
            var w = Weights(trainer);
            if (reference is null) reference = w;
            else Assert.True(reference.AsSpan().SequenceEqual(w), $"weights differ on {threads} threads");
        }
    }

    [Fact]
    public void Resuming_from_a_checkpoint_is_bit_identical_to_not_stopping()
    {
        using var straight = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(2));
        var losses = new List<double>();
        for (int k = 0; k < 8; k++) losses.Add(straight.Step().Loss);

        string path = Path.Combine(dir, "ck.safetensors");
        using (var first = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(2)))
        {
            for (int k = 0; k < 5; k++) first.Step();
            first.SaveCheckpoint(path);
        }
        using var resumed = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(1));
        resumed.LoadCheckpoint(path);
        Assert.Equal(5, resumed.StepCount);
        for (int k = 5; k < 8; k++) Assert.Equal(losses[k], resumed.Step().Loss);
        Assert.True(Weights(straight).AsSpan().SequenceEqual(Weights(resumed)), "resumed weights differ");
    }

    [Fact]
    public void A_checkpoint_loads_as_the_trained_EMA_model_and_drives_classifier_free_guidance()
    {
        string path = Path.Combine(dir, "model.safetensors");
        using var trainer = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(2));
        for (int k = 0; k < 3; k++) trainer.Step();
        trainer.SaveCheckpoint(path);
        var loaded = TrainedModel.Load(path, label: 3);
        var direct = trainer.Model(3);
        Assert.Equal(Prediction.Data, loaded.Prediction);
        Assert.Equal("edm", loaded.Schedule.Name);
        double[] x = [0.1, -2, 3, 0.5, -1, 1];
        var a = new double[6];
        var b = new double[6];
        foreach (double t in new[] { 0.01, 0.7, 20 })
        {
            loaded.Evaluate(t, x, a, 3);
            direct.Evaluate(t, x, b, 3);
            Assert.True(a.AsSpan().SequenceEqual(b), $"t={t}: loaded model differs from the trainer's EMA model");
        }
        var guided = new ClassifierFreeGuidanceModel(direct, direct.WithLabel(null), 2.0);
        guided.Evaluate(0.7, x, a, 3);
        direct.WithLabel(null).Evaluate(0.7, x, b, 3);
        var c = new double[6];
        direct.Evaluate(0.7, x, c, 3);
        for (int k = 0; k < 6; k++) Assert.Equal(3 * c[k] - 2 * b[k], a[k], 12);

        Assert.Throws<InvalidDataException>(() =>
        {
            var other = new DiffusionTrainer<double>(Data.Points, Data.Labels, Options(1) with { Objective = DiffusionObjective.FlowMatching() });
            other.LoadCheckpoint(path);
        });
    }
}
