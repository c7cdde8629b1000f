namespace Drift.Generative.Steering;

/// <summary>
/// The Gaussian reward r(x) = −‖x − a‖²/(2s²): exp(λ r) is an unnormalised isotropic Gaussian of variance
/// τ = s²/λ around a, so a Gaussian mixture tilted by it is again a Gaussian mixture
/// (<see cref="GaussianTilt"/>).
/// </summary>
public sealed class GaussianReward : IReward
{
    private readonly double[] _center;

    /// <summary>Creates the reward.</summary>
    /// <param name="center">The target point a.</param>
    /// <param name="width">The width s &gt; 0.</param>
    /// <exception cref="ArgumentException">Empty or non-finite center, or width not positive and finite.</exception>
    public GaussianReward(IReadOnlyList<double> center, double width)
    {
        ArgumentNullException.ThrowIfNull(center);
        if (center.Count == 0) throw new ArgumentException("the reward center needs at least one coordinate.", nameof(center));
        if (center.Any(v => !double.IsFinite(v))) throw new ArgumentException("the reward center must be finite.", nameof(center));
        if (!(width > 0) || !double.IsFinite(width)) throw new ArgumentException($"the reward width must be positive and finite, got {width}.", nameof(width));
        _center = center.ToArray();
        Width = width;
    }

    /// <summary>The target point a.</summary>
    public IReadOnlyList<double> Center => _center;

    /// <summary>The width s.</summary>
    public double Width { get; }

    /// <inheritdoc/>
    public int Dimension => _center.Length;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> reward, int samples)
    {
        int d = _center.Length;
        if (x.Length < samples * d) throw new ArgumentException($"x needs {samples}·{d} values.", nameof(x));
        if (reward.Length < samples) throw new ArgumentException($"reward needs {samples} values.", nameof(reward));
        double c = -0.5 / (Width * Width);
        for (int s = 0; s < samples; s++)
        {
            var row = x.Slice(s * d, d);
            double q = 0;
            for (int i = 0; i < d; i++)
            {
                double e = row[i] - _center[i];
                q += e * e;
            }
            reward[s] = c * q;
        }
    }
}
