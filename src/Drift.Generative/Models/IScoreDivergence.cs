namespace Drift.Generative.Models;

/// <summary>
/// A model that also knows the divergence of its score, ∇·s(x, t) = tr ∇²log p_t(x), exactly
/// (the likelihood computation then needs no finite differences).
/// </summary>
public interface IScoreDivergence
{
    /// <summary>Writes ∇·s(x_s, t) for each of <paramref name="samples"/> sample-major rows of <paramref name="x"/>.</summary>
    void ScoreDivergence(double t, ReadOnlySpan<double> x, Span<double> divergence, int samples);
}
