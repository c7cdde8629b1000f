using Drift.Analysis;
using Drift.Generative.Oracles;
using Drift.Statistics;

namespace Drift.Generative.Metrics;

/// <summary>
/// Distances between two sample sets (sample-major, n × d) and summaries against a mixture: sliced
/// Wasserstein-2, the unbiased squared MMD, per-mode mass and per-coordinate moments. Compare each
/// against its noise floor: the same metric between two exact sample sets of the same size.
/// </summary>
public static class SampleMetrics
{
    /// <summary>
    /// Sliced W₂: √(mean over P random unit directions θ of W₂²(θᵀa, θᵀb)), each 1-D W₂² computed exactly
    /// (equal sample sizes, uniform weights) by the core estimator <see cref="SlicedWasserstein"/>: direction p is
    /// the normalised Philox normals of stream p under <paramref name="seed"/>, so both arguments see the same directions.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public static double SlicedWasserstein2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int samples, int dimension, int projections = 128, ulong seed = 1)
    {
        Check(a, b, samples, dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(projections, 1);
        int length = samples * dimension;
        return SlicedWasserstein.Estimate(a[..length], [], b[..length], [], dimension, projections, seed, 2).Distance;
    }

    /// <summary>
    /// Unbiased squared maximum mean discrepancy with the Gaussian kernel k(x, y) = exp(−|x − y|²/(2h²)):
    /// MMD² = mean_{i≠j}k(a_i, a_j) + mean_{i≠j}k(b_i, b_j) − 2 mean_{i,j}k(a_i, b_j). O(n²d); may be negative.
    /// </summary>
    public static double Mmd2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int samples, int dimension, double bandwidth)
    {
        Check(a, b, samples, dimension);
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "bandwidth must be positive.");
        double c = -0.5 / (bandwidth * bandwidth);
        double saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < samples; i++)
        {
            var ai = a.Slice(i * dimension, dimension);
            var bi = b.Slice(i * dimension, dimension);
            for (int j = 0; j < samples; j++)
            {
                sab += Math.Exp(c * Distance2(ai, b.Slice(j * dimension, dimension)));
                if (j == i) continue;
                saa += Math.Exp(c * Distance2(ai, a.Slice(j * dimension, dimension)));
                sbb += Math.Exp(c * Distance2(bi, b.Slice(j * dimension, dimension)));
            }
        }
        double n = samples;
        return (saa + sbb) / (n * (n - 1)) - 2 * sab / (n * n);
    }

    /// <summary>Fraction of samples whose most probable component of the mixture's noised law (α, σ) is k, per k.</summary>
    public static double[] ModeMasses(GaussianMixture mixture, double alpha, double sigma, ReadOnlySpan<double> x, int samples)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        int d = mixture.Dimension, k = mixture.ComponentCount;
        if (x.Length < samples * d) throw new ArgumentException($"x needs {samples * d} values.", nameof(x));
        var counts = new double[k];
        var r = new double[k];
        for (int s = 0; s < samples; s++)
        {
            mixture.Responsibilities(alpha, sigma, x.Slice(s * d, d), r);
            int best = 0;
            for (int c = 1; c < k; c++) if (r[c] > r[best]) best = c;
            counts[best]++;
        }
        for (int c = 0; c < k; c++) counts[c] /= samples;
        return counts;
    }

    /// <summary>Per-coordinate <see cref="Moments"/> of a sample set.</summary>
    public static Moments[] CoordinateMoments(ReadOnlySpan<double> x, int samples, int dimension)
    {
        var result = new Moments[dimension];
        var column = new double[samples];
        for (int j = 0; j < dimension; j++)
        {
            for (int s = 0; s < samples; s++) column[s] = x[s * dimension + j];
            result[j] = Moments.Of(column);
        }
        return result;
    }

    private static double Distance2(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++) s += (u[i] - v[i]) * (u[i] - v[i]);
        return s;
    }

    private static void Check(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int samples, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (a.Length < samples * dimension || b.Length < samples * dimension)
            throw new ArgumentException($"both sample sets need {samples}·{dimension} values.", nameof(b));
    }
}
