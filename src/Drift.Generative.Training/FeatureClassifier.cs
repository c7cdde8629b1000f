using Drift.Generative.Metrics;
using Drift.Learning.Autodiff;
using Drift.Learning.Data;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;
using Drift.Random;

namespace Drift.Generative.Training;

/// <summary>
/// A classifier of labelled point data trained in Drift, used to judge generated samples: an MLP
/// d → <see cref="FeatureClassifierOptions.Hidden"/> → <see cref="FeatureClassifierOptions.Features"/> → classes with
/// SiLU after each hidden layer, trained by softmax cross-entropy (mean over rows of logsumexp(z) − z_label) with Adam
/// and a cosine learning-rate decay. Its penultimate activations φ(x) ∈ ℝ^<see cref="FeatureCount"/> are the feature
/// space of <see cref="FrechetDistance"/> (as Inception features are for FID).
/// </summary>
/// <remarks>
/// Float32, deterministic: the weights are initialised and the minibatches shuffled from the options' seed, and the
/// gradient is reduced over a fixed partition, so the same data and options give the same classifier on any thread
/// count.
/// </remarks>
public sealed class FeatureClassifier
{
    readonly Mlp<float> network;

    FeatureClassifier(Mlp<float> network, int dimension, int classes)
    {
        this.network = network;
        Dimension = dimension;
        Classes = classes;
    }

    /// <summary>Input dimension d.</summary>
    public int Dimension { get; }
    /// <summary>Number of classes.</summary>
    public int Classes { get; }
    /// <summary>Width of the feature layer φ.</summary>
    public int FeatureCount => network.Layers[^1].Inputs;

    /// <summary>Trains a classifier on labelled data.</summary>
    /// <exception cref="ArgumentException">The data have no labels, fewer rows than a batch, or an option is out of range.</exception>
    public static FeatureClassifier Train(PointData data, FeatureClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new FeatureClassifierOptions();
        if (data.Labels is null || data.Classes < 2) throw new ArgumentException($"data '{data.Name}' has no labels (a classifier needs at least 2 classes).", nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Hidden, 1, "options.Hidden");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Features, 1, "options.Features");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1, "options.Steps");
        if (options.BatchSize < 1 || options.BatchSize > data.Count)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"the batch size must lie in [1, {data.Count}] (the data rows).");
        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "the learning rate must be positive.");
        int d = data.Dimension;
        var network = new Mlp<float>([d, options.Hidden, options.Features, data.Classes], Activation.Silu,
            new ParameterRandom(SeedMixer.Derive(options.Seed, 1)));
        var loader = new MinibatchLoader<float>(ToTensor(data.Points, data.Count, d), null, data.Labels, options.BatchSize, SeedMixer.Derive(options.Seed, 2));
        using var trainer = new Trainer<float>(new Adam<float>(network.Parameters(), options.LearningRate),
            (batch, _) => Ops.CrossEntropy(network.Forward(batch.Inputs), batch.Labels),
            new TrainerOptions
            {
                Threads = options.Threads,
                Schedule = LearningRateSchedule.Cosine(options.LearningRate, options.Steps, minimum: options.LearningRate / 100),
                CancellationToken = options.CancellationToken,
            });
        for (int k = 0; k < options.Steps; k++) trainer.Step(loader.Next());
        return new FeatureClassifier(network, d, data.Classes);
    }

    /// <summary>The most probable class of each of the rows × d values of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of d.</exception>
    public int[] Predict(ReadOnlySpan<double> x)
    {
        int rows = Rows(x);
        var logits = Run(x, rows, features: false);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int c = 1; c < Classes; c++)
                if (logits[r * Classes + c] > logits[r * Classes + best]) best = c;
            labels[r] = best;
        }
        return labels;
    }

    /// <summary>The penultimate activations φ(x), rows × <see cref="FeatureCount"/>, row-major.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of d.</exception>
    public double[] Features(ReadOnlySpan<double> x) => Run(x, Rows(x), features: true);

    /// <summary>The fraction of rows of <paramref name="data"/> whose predicted class is their label.</summary>
    /// <exception cref="ArgumentException">The data are unlabelled or of another dimension.</exception>
    public double Accuracy(PointData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is null) throw new ArgumentException($"data '{data.Name}' has no labels.", nameof(data));
        if (data.Dimension != Dimension) throw new ArgumentException($"data '{data.Name}' is {data.Dimension}-D; the classifier takes {Dimension}-D rows.", nameof(data));
        var predicted = Predict(data.Points);
        return (double)predicted.Where((p, r) => p == data.Labels[r]).Count() / predicted.Length;
    }

    /// <summary>FD between the Gaussians fitted to the features of two sample sets (rows × d each).</summary>
    public double FrechetDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        => Metrics.FrechetDistance.FromSamples(Features(a), Features(b), FeatureCount);

    int Rows(ReadOnlySpan<double> x)
    {
        if (x.Length % Dimension != 0) throw new ArgumentException($"{x.Length} values are not rows of d = {Dimension}.", nameof(x));
        return x.Length / Dimension;
    }

    double[] Run(ReadOnlySpan<double> x, int rows, bool features)
    {
        var output = new double[rows * (features ? FeatureCount : Classes)];
        if (rows == 0) return output;
        using var noGrad = GradMode.NoGrad();
        var h = ToTensor(x, rows, Dimension);
        var layers = network.Layers;
        for (int k = 0; k < layers.Count - 1; k++) h = Activation.Silu.Apply(layers[k].Forward(h));
        if (!features) h = layers[^1].Forward(h);
        var span = h.Span;
        for (int k = 0; k < output.Length; k++) output[k] = span[k];
        return output;
    }

    static Tensor<float> ToTensor(ReadOnlySpan<double> x, int rows, int d)
    {
        var values = new float[rows * d];
        for (int k = 0; k < values.Length; k++) values[k] = (float)x[k];
        return Tensor<float>.Wrap(values, rows, d);
    }
}
