using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;

namespace Drift.Learning.Tests.Training;

public class TrainerTests
{
    static (Tensor<double> X, Tensor<double> Y) Regression(int n, int seed)
    {
        var rng = new System.Random(seed);
        var x = new double[n * 4];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < 4; j++) x[r * 4 + j] = rng.NextDouble() * 2 - 1;
            y[r] = Math.Sin(2 * x[r * 4]) + x[r * 4 + 1] * x[r * 4 + 2];
        }
        return (Tensor<double>.Wrap(x, n, 4), Tensor<double>.Wrap(y, n, 1));
    }

    sealed class Run : IDisposable
    {
        public readonly Mlp<double> Net = new([4, 32, 32, 1], Activation.Silu, new ParameterRandom(7));
        public readonly AdamW<double> Optimiser;
        public readonly ExponentialMovingAverage<double> Ema;
        public readonly MinibatchLoader<double> Loader;
        public readonly Trainer<double> Trainer;
        public readonly Dropout<double> Dropout = new(0.1, seed: 99);

        public Run(int threads)
        {
            var (x, y) = Regression(300, 1);
            Optimiser = new AdamW<double>(Net.Parameters(), 3e-3, weightDecay: 0.01);
            Ema = new ExponentialMovingAverage<double>(Net.Parameters(), 0.99);
            Loader = new MinibatchLoader<double>(x, y, null, 96, seed: 5);
            Trainer = new Trainer<double>(Optimiser, (b, c) =>
            {
                // Randomness keyed by (step, batch row) so that it does not depend on the partition.
                var h = Dropout.Forward(b.Inputs, (ulong)(c.Step * 1000 + c.FirstRow));
                return Ops.Mse(Net.Forward(h), b.Targets!);
            }, new TrainerOptions { Threads = threads, ShardRows = 32, ClipNorm = 1.0, Schedule = LearningRateSchedule.Cosine(3e-3, 20, warmupSteps: 3) }, Ema);
        }

        public void Dispose() => Trainer.Dispose();

        public double[] Weights() => [.. Net.Parameters().SelectMany(p => p.ToArray()), .. Ema.Averages.SelectMany(p => p.ToArray())];
    }

    [Fact]
    public void Same_seed_gives_bit_identical_parameters_on_1_2_and_8_threads()
    {
        double[]? reference = null;
        foreach (int threads in new[] { 1, 2, 8, 0 }) // 0: one per core, the default
        {
            using var run = new Run(threads);
            for (int k = 0; k < 12; k++) run.Trainer.Step(run.Loader.Next());
            var w = run.Weights();
            if (reference is null) reference = w;
            else Assert.True(reference.AsSpan().SequenceEqual(w), $"{threads} threads (0 = one per core) differ from 1 thread");
        }
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_is_bit_identical_to_an_uninterrupted_one()
    {
        using var whole = new Run(2);
        for (int k = 0; k < 10; k++) whole.Trainer.Step(whole.Loader.Next());

        using var first = new Run(2);
        for (int k = 0; k < 4; k++) first.Trainer.Step(first.Loader.Next());
        string path = Path.Combine(Path.GetTempPath(), $"drift-resume-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.SaveTraining(path, first.Net.NamedParameters(), first.Optimiser, first.Ema, first.Loader);
            using var resumed = new Run(1);
            Checkpoint.LoadTraining(path, resumed.Net.NamedParameters(), resumed.Optimiser, resumed.Ema, resumed.Loader);
            Assert.Equal(4, resumed.Optimiser.StepCount);
            for (int k = 4; k < 10; k++) resumed.Trainer.Step(resumed.Loader.Next());
            Assert.True(whole.Weights().AsSpan().SequenceEqual(resumed.Weights()), "the resumed run differs");
            // and the checkpoint is not trivially the final state
            Assert.False(first.Weights().AsSpan().SequenceEqual(resumed.Weights()));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Sharded_gradient_equals_the_full_batch_gradient()
    {
        var (x, y) = Regression(100, 3);
        var net = new Mlp<double>([4, 16, 1], Activation.Tanh, new ParameterRandom(2));
        var sgd = new Sgd<double>(net.Parameters(), 0.0);
        using var trainer = new Trainer<double>(sgd, (b, _) => Ops.Mse(net.Forward(b.Inputs), b.Targets!), new TrainerOptions { Threads = 2, ShardRows = 17 });
        var step = trainer.Step(new Minibatch<double>(x, y, null, [.. Enumerable.Range(0, 100)]));
        var loss = Ops.Mse(net.Forward(x), y);
        var full = Autograd.Grad(loss, net.Parameters());
        Assert.Equal(loss.ToScalar(), step.Loss, 1e-14);
        for (int i = 0; i < full.Length; i++)
            for (int k = 0; k < full[i].Length; k++)
                Assert.Equal(full[i].Span[k], trainer.Gradients[i].Span[k], 1e-14);
    }

    [Fact]
    public void A_NaN_loss_is_reported_with_its_step_and_leaves_the_parameters_unchanged()
    {
        var (x, y) = Regression(64, 3);
        y.Span[40] = double.NaN;
        var net = new Mlp<double>([4, 8, 1], Activation.Tanh, new ParameterRandom(2));
        var before = net.Parameters().SelectMany(p => p.ToArray()).ToArray();
        using var trainer = new Trainer<double>(new Adam<double>(net.Parameters()), (b, _) => Ops.Mse(net.Forward(b.Inputs), b.Targets!), new TrainerOptions { Threads = 2, ShardRows = 16 });
        var e = Assert.Throws<NonFiniteGradientException>(() => trainer.Step(new Minibatch<double>(x, y, null, [.. Enumerable.Range(0, 64)])));
        Assert.Equal("loss", e.ParameterName);
        Assert.Equal(1, e.Step);
        Assert.Contains("batch rows 32..47", e.Message);
        Assert.True(before.AsSpan().SequenceEqual(net.Parameters().SelectMany(p => p.ToArray()).ToArray()));
    }
}
