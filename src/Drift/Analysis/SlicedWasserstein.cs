using Drift.Numerics;
using Drift.Random;

namespace Drift.Analysis;

/// <summary>
/// The sliced Wasserstein distance (Rabin, Peyré, Delon &amp; Bernot 2011; Bonneel, Rabin, Peyré &amp; Pfister 2015):
/// SW_p^p(μ, ν) = ∫_{S^{d−1}} W_p^p(θ#μ, θ#ν) dσ(θ), estimated with L directions θ uniform on the sphere and each
/// one-dimensional problem solved exactly by <see cref="MonotoneCoupling"/>. Direction l is the normalised vector of
/// the first d Philox normals of stream l under the seed (<see cref="PhiloxNormals.FillStream"/>), so the estimate
/// depends only on (seed, l): not on the thread count, and both arguments of any two calls with one seed see the
/// same directions. The one implementation for every assembly (Drift.Transport's point clouds, Drift.Generative's
/// sample metrics).
/// </summary>
public static class SlicedWasserstein
{
    /// <summary>
    /// Estimates SW_p between two weighted point sets of one dimension, stored point-major (point i is
    /// x[i·d … i·d + d − 1]). Empty weights mean uniform weights 1/n; otherwise the masses must agree.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension below 1, a length that is not a multiple of it, an empty
    /// set, weights of the wrong length or unequal masses, non-finite coordinates, projections &lt; 1, p &lt; 1, threads &lt; 0 (0 means one per core).</exception>
    public static SlicedWassersteinResult Estimate(ReadOnlySpan<double> x, ReadOnlySpan<double> xWeights, ReadOnlySpan<double> y,
        ReadOnlySpan<double> yWeights, int dimension, int projections = 100, ulong seed = 0, double p = 2, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(projections, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (!(p >= 1) || double.IsInfinity(p)) throw new ArgumentException($"p must be finite and ≥ 1, got {p}.", nameof(p));
        if (x.Length == 0 || x.Length % dimension != 0)
            throw new ArgumentException($"x has {x.Length} values, not a positive multiple of the dimension {dimension}.", nameof(x));
        if (y.Length == 0 || y.Length % dimension != 0)
            throw new ArgumentException($"y has {y.Length} values, not a positive multiple of the dimension {dimension}.", nameof(y));
        int n = x.Length / dimension, m = y.Length / dimension, d = dimension;
        double[] xs = x.ToArray(), ys = y.ToArray();
        double[] a = xWeights.IsEmpty ? Uniform(n) : xWeights.ToArray(), b = yWeights.IsEmpty ? Uniform(m) : yWeights.ToArray();
        if (a.Length != n) throw new ArgumentException($"xWeights has {a.Length} values for {n} points.", nameof(xWeights));
        if (b.Length != m) throw new ArgumentException($"yWeights has {b.Length} values for {m} points.", nameof(yWeights));
        CheckFinite(xs, d, nameof(x));
        CheckFinite(ys, d, nameof(y));
        MonotoneCoupling.Cost(new double[n], a, new double[m], b, p); // validates the weights and masses up front, on this thread

        var values = new double[projections];
        var normals = new PhiloxNormals(seed);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, projections, options, () => (new double[n], new double[m], new double[d]), (l, _, buffers) =>
        {
            var (px, py, theta) = buffers;
            Direction(normals, (ulong)l, theta);
            Project(xs, theta, px);
            Project(ys, theta, py);
            values[l] = MonotoneCoupling.Cost(px, a, py, b, p);
            return buffers;
        }, _ => { });
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= projections;
        double var = 0;
        foreach (double v in values) var += (v - mean) * (v - mean);
        double se = projections > 1 ? Math.Sqrt(var / (projections - 1) / projections) : double.NaN;
        return new SlicedWassersteinResult(Math.Pow(Math.Max(mean, 0), 1 / p), mean, se, projections);
    }

    /// <summary>Unit vector θ from stream l: Philox normals, normalised (drawing further if all d were zero).</summary>
    private static void Direction(PhiloxNormals normals, ulong stream, double[] theta)
    {
        double norm;
        ulong draw = 0;
        do
        {
            normals.FillStream(stream, draw, theta);
            draw += (ulong)theta.Length;
            norm = 0;
            foreach (double t in theta) norm += t * t;
        }
        while (norm == 0);
        norm = Math.Sqrt(norm);
        for (int k = 0; k < theta.Length; k++) theta[k] /= norm;
    }

    private static void Project(double[] points, double[] theta, double[] destination)
    {
        int d = theta.Length;
        for (int i = 0; i < destination.Length; i++) destination[i] = Dense.Dot(points.AsSpan(i * d, d), theta);
    }

    private static double[] Uniform(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0 / n);
        return w;
    }

    private static void CheckFinite(double[] v, int d, string name)
    {
        for (int k = 0; k < v.Length; k++)
            if (!double.IsFinite(v[k])) throw new ArgumentException($"{name}: point {k / d}, coordinate {k % d} is {v[k]}; coordinates must be finite.", name);
    }
}
