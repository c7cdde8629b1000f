using Drift.Random;

namespace Drift.Sampling.Smc;

/// <summary>
/// The independent normal prior p₀(x) = Πᵢ N(xᵢ; μᵢ, sᵢ²): log p₀ = −½ Σᵢ ((xᵢ − μᵢ)/sᵢ)² − Σᵢ log(sᵢ√(2π)) (normalised,
/// so that tempered SMC's <see cref="TemperedSmcResult.LogEvidence"/> is the log marginal likelihood), gradient
/// −(xᵢ − μᵢ)/sᵢ², draws μᵢ + sᵢ zᵢ.
/// </summary>
public readonly struct NormalPrior : IPrior
{
    private readonly double[] _mean, _sd;
    private readonly double _logNormaliser;

    /// <summary>A prior with means <paramref name="mean"/> and standard deviations <paramref name="sd"/> (equal lengths).</summary>
    /// <exception cref="ArgumentException">Lengths differ or are zero, a mean is not finite, or a standard deviation is not finite and positive.</exception>
    public NormalPrior(IReadOnlyList<double> mean, IReadOnlyList<double> sd)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(sd);
        if (mean.Count == 0 || mean.Count != sd.Count)
            throw new ArgumentException($"the prior needs as many standard deviations as means (at least one); got {mean.Count} means and {sd.Count} standard deviations.", nameof(sd));
        _mean = mean.ToArray();
        _sd = sd.ToArray();
        double log = 0;
        for (int i = 0; i < _mean.Length; i++)
        {
            if (!double.IsFinite(_mean[i])) throw new ArgumentException($"prior mean {i} is {_mean[i]}; it must be finite.", nameof(mean));
            if (!(_sd[i] > 0) || !double.IsFinite(_sd[i])) throw new ArgumentException($"prior standard deviation {i} is {_sd[i]}; it must be finite and positive.", nameof(sd));
            log -= Math.Log(_sd[i]) + 0.5 * Math.Log(2 * Math.PI);
        }
        _logNormaliser = log;
    }

    /// <summary>The prior N(m, s²) in every one of <paramref name="dimension"/> components.</summary>
    /// <exception cref="ArgumentException">As the main constructor.</exception>
    public static NormalPrior Isotropic(int dimension, double mean, double sd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return new NormalPrior(Enumerable.Repeat(mean, dimension).ToArray(), Enumerable.Repeat(sd, dimension).ToArray());
    }

    /// <inheritdoc/>
    public int Dimension => _mean.Length;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length;
        logDensity.Fill(_logNormaliser);
        for (int i = 0; i < _mean.Length; i++)
        {
            double m = _mean[i], inv = 1 / (_sd[i] * _sd[i]);
            var xi = x.Slice(i * n, n);
            var gi = gradient.Slice(i * n, n);
            for (int c = 0; c < n; c++)
            {
                double r = xi[c] - m;
                logDensity[c] -= 0.5 * r * r * inv;
                gi[c] = -r * inv;
            }
        }
    }

    /// <inheritdoc/>
    public void Draw(ref StepDraws draws, Span<double> point)
    {
        for (int i = 0; i < _mean.Length; i++) point[i] = _mean[i] + _sd[i] * draws.NextNormal();
    }
}
