using Drift.Learning.Autodiff;
using Drift.Learning.Data;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;

namespace Drift.Learning.Tests.Training;

/// <summary>End-to-end learning: a regression and a classification learned to a stated accuracy.</summary>
public class ExamplesTests
{
    [Fact]
    public void An_MLP_fits_sin_on_minus_pi_to_pi_to_MSE_below_1e_4()
    {
        const int n = 256;
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(-Math.PI + 2 * Math.PI * i / (n - 1));
            y[i] = MathF.Sin(x[i]);
        }
        var X = Tensor<float>.Wrap(x, n, 1);
        var Y = Tensor<float>.Wrap(y, n, 1);
        var net = new Mlp<float>([1, 64, 64, 1], Activation.Tanh, new ParameterRandom(11));
        const int steps = 2500;
        using var trainer = new Trainer<float>(new Adam<float>(net.Parameters()), (b, _) => Ops.Mse(net.Forward(b.Inputs), b.Targets!),
            new TrainerOptions { Threads = 2, Schedule = LearningRateSchedule.Cosine(1e-2, steps, minimum: 1e-4) });
        var batch = new Minibatch<float>(X, Y, null, [.. Enumerable.Range(0, n)]);
        for (int k = 0; k < steps; k++) trainer.Step(batch);
        double mse;
        using (GradMode.NoGrad()) mse = Ops.Mse(net.Forward(X), Y).ToScalar();
        Assert.True(mse < 1e-4, $"MSE = {mse:E3}");
    }

    [Fact]
    public void An_MLP_classifies_the_two_spirals_with_at_least_99_percent_train_accuracy()
    {
        var (x, labels) = Spirals(200, seed: 3);
        var net = new Mlp<float>([2, 64, 64, 2], Activation.Silu, new ParameterRandom(4));
        var loader = new MinibatchLoader<float>(x, null, labels, 100, seed: 8);
        using var trainer = new Trainer<float>(new Adam<float>(net.Parameters(), 1e-2), (b, _) => Ops.CrossEntropy(net.Forward(b.Inputs), b.Labels),
            new TrainerOptions { Threads = 2, Schedule = LearningRateSchedule.Cosine(1e-2, 1500, minimum: 1e-4) });
        for (int k = 0; k < 1500; k++) trainer.Step(loader.Next());
        int correct = 0;
        using (GradMode.NoGrad())
        {
            var logits = net.Forward(x);
            for (int r = 0; r < labels.Length; r++)
                if ((logits[r, 1] > logits[r, 0] ? 1 : 0) == labels[r]) correct++;
        }
        double accuracy = (double)correct / labels.Length;
        Assert.True(accuracy >= 0.99, $"train accuracy {accuracy:P2}");
    }

    /// <summary>Two interleaved spirals r = θ/(4π)·(1 + small noise), θ ∈ [0, 4π], the second turned by π.</summary>
    internal static (Tensor<float> X, int[] Labels) Spirals(int perClass, int seed)
    {
        var rng = new System.Random(seed);
        var x = new float[2 * perClass * 2];
        var labels = new int[2 * perClass];
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < perClass; i++)
            {
                int r = c * perClass + i;
                double theta = 4 * Math.PI * i / perClass + 0.3;
                double radius = theta / (4 * Math.PI) * (1 + 0.02 * (rng.NextDouble() - 0.5));
                x[2 * r] = (float)(radius * Math.Cos(theta + c * Math.PI));
                x[2 * r + 1] = (float)(radius * Math.Sin(theta + c * Math.PI));
                labels[r] = c;
            }
        return (Tensor<float>.Wrap(x, 2 * perClass, 2), labels);
    }
}
