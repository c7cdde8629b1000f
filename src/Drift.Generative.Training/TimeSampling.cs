namespace Drift.Generative.Training;

/// <summary>How a <see cref="DiffusionTrainer{T}"/> draws training times.</summary>
public enum TimeSampling
{
    /// <summary>The objective's own law (uniform on [t_min, T]; log-normal σ for EDM).</summary>
    Uniform,
    /// <summary>
    /// Importance sampling (<see cref="ImportanceTimeSampler"/>): t drawn with density ∝ the loss weight w(t), the weight
    /// replaced by w/(p·(T − t_min)) so that the loss's expectation is the uniform one (Song et al. 2021's importance
    /// sampling of the likelihood weighting). Uniform-time objectives only (not EDM).
    /// </summary>
    Importance,
}
