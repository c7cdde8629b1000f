namespace Drift.Generative.Steering;

/// <summary>A reward r(x) on clean samples, evaluated for a sample-major batch.</summary>
/// <remarks>A row's reward depends on that row only. An implementation may keep scratch space, so one instance serves one thread at a time.</remarks>
public interface IReward
{
    /// <summary>Dimension d of the samples it scores.</summary>
    int Dimension { get; }

    /// <summary>Writes r(x_s) for each of the <paramref name="samples"/> rows of <paramref name="x"/>.</summary>
    void Evaluate(ReadOnlySpan<double> x, Span<double> reward, int samples);
}
