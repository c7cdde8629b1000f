namespace Drift.Generative.Training;

/// <summary>How a <see cref="FeatureClassifier"/> is trained. The defaults reach about 97 % held-out accuracy on the digits.</summary>
public sealed record FeatureClassifierOptions
{
    /// <summary>Width of the first hidden layer (default 128).</summary>
    public int Hidden { get; init; } = 128;
    /// <summary>Width of the feature (penultimate) layer (default 64).</summary>
    public int Features { get; init; } = 64;
    /// <summary>Adam steps (default 1500).</summary>
    public int Steps { get; init; } = 1500;
    /// <summary>Rows per minibatch (default 128).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Peak learning rate, decayed by a cosine to 1/100 of it (default 2e-3).</summary>
    public double LearningRate { get; init; } = 2e-3;
    /// <summary>Seed of the weights and the data order.</summary>
    public ulong Seed { get; init; }
    /// <summary>Threads per step; 0, the default, means one per core (results do not depend on it).</summary>
    public int Threads { get; init; }
    /// <summary>Checked before each step.</summary>
    public CancellationToken CancellationToken { get; init; }
}
