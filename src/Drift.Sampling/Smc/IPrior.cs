using Drift.Random;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Smc;

/// <summary>
/// A prior p₀ that tempered SMC starts from: its log-density log p₀ and gradient (as every <see cref="ILogDensity"/>,
/// over a component-major batch) and exact draws from it.
/// </summary>
public interface IPrior : ILogDensity
{
    /// <summary>Writes one exact draw x ~ p₀ into <paramref name="point"/> (length d), taking its variates from <paramref name="draws"/>.</summary>
    /// <param name="draws">The counter-based variates of this draw.</param>
    /// <param name="point">Receives the draw.</param>
    void Draw(ref StepDraws draws, Span<double> point);
}
