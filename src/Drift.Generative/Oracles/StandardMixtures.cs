using Drift.Random;

namespace Drift.Generative.Oracles;

/// <summary>
/// The named test mixtures: <c>gauss2d</c> (one anisotropic Gaussian), <c>ring8</c> (8 equal modes on a
/// circle of radius 3, σ = 0.25), <c>skewed2d</c> (3 modes, weights 0.6/0.3/0.1, full covariances),
/// <c>mix16</c> and <c>mix64</c> (4 modes in 16-D / 64-D with weights 0.4/0.3/0.2/0.1 and full covariances
/// 0.05·I + 0.1·BBᵀ/d, B and the means fixed Philox normals).
/// </summary>
public static class StandardMixtures
{
    /// <summary>The names accepted by <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gauss2d", "ring8", "skewed2d", "mix16", "mix64"];

    /// <summary>The named mixture.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static GaussianMixture Get(string name) => name switch
    {
        "gauss2d" => new GaussianMixture([1.0], [[1.0, -0.5]], [[0.4, 0.25, 0.25, 0.2]]),
        "ring8" => Ring(8, 3, 0.25),
        "skewed2d" => new GaussianMixture([0.6, 0.3, 0.1],
            [[-2.0, 0.0], [2.0, 1.0], [0.5, -2.5]],
            [[0.3, 0.2, 0.2, 0.4], [0.1, -0.05, -0.05, 0.2], [0.05, 0.0, 0.0, 0.05]]),
        "mix16" => HighDimensional(16, 16),
        "mix64" => HighDimensional(64, 64),
        _ => throw new ArgumentException($"unknown mixture '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };

    private static GaussianMixture Ring(int modes, double radius, double std)
    {
        var means = new double[modes][];
        var covs = new double[modes][];
        for (int k = 0; k < modes; k++)
        {
            double a = 2 * Math.PI * k / modes;
            means[k] = [radius * Math.Cos(a), radius * Math.Sin(a)];
            covs[k] = [std * std, 0, 0, std * std];
        }
        return new GaussianMixture(Enumerable.Repeat(1.0, modes).ToArray(), means, covs);
    }

    private static GaussianMixture HighDimensional(int d, ulong seed)
    {
        var normals = new PhiloxNormals(seed);
        double[] weights = [0.4, 0.3, 0.2, 0.1];
        var means = new double[4][];
        var covs = new double[4][];
        for (int k = 0; k < 4; k++)
        {
            var m = new double[d];
            normals.FillStream((ulong)(1000 + k), 0, m);
            means[k] = m.Select(v => 1.5 * v).ToArray();
            var b = new double[d * d];
            normals.FillStream((ulong)k, 0, b);
            var c = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (int l = 0; l < d; l++) s += b[i * d + l] * b[j * d + l];
                    c[i * d + j] = c[j * d + i] = 0.1 * s / d + (i == j ? 0.05 : 0);
                }
            covs[k] = c;
        }
        return new GaussianMixture(weights, means, covs);
    }
}
