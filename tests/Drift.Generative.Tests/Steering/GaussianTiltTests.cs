using Drift.Generative.Oracles;
using Drift.Generative.Steering;

namespace Drift.Generative.Tests.Steering;

public class GaussianTiltTests
{
    [Theory]
    [InlineData("skewed2d", 1.0, 0.7)]
    [InlineData("ring8", 2.5, 0.3)]
    [InlineData("mix16", 1.5, 2.0)]
    public void Tilted_mixture_is_p_times_exp_lambda_r_over_Z_pointwise(string name, double width, double lambda)
    {
        // The derivation itself: log p'(x) = log p(x) + λ r(x) − log Z at arbitrary points, where p' is the
        // closed-form mixture (weights, means, covariances) and Z its closed-form normaliser. p' is normalised
        // by construction, so this checks the three parameters and Z together.
        var p = StandardMixtures.Get(name);
        int d = p.Dimension;
        var center = Enumerable.Range(0, d).Select(i => 0.8 - 0.3 * i % 1.7).ToArray();
        var reward = new GaussianReward(center, width);
        var tilted = GaussianTilt.Apply(p, reward, lambda);
        double logZ = GaussianTilt.LogNormalizer(p, reward, lambda);
        var x = new double[d];
        var r = new double[1];
        for (int trial = 0; trial < 6; trial++)
        {
            for (int i = 0; i < d; i++) x[i] = Math.Sin(1.3 * trial + 0.7 * i) * 2;
            reward.Evaluate(x, r, 1);
            double expected = p.LogDensity(1, 0, x) + lambda * r[0] - logZ;
            Assert.Equal(expected, tilted.LogDensity(1, 0, x), 1e-9);
        }
    }

    [Fact]
    public void Normaliser_matches_quadrature_in_two_dimensions()
    {
        var p = StandardMixtures.Get("skewed2d");
        var reward = new GaussianReward([1.5, -1.5], 1.0);
        // Rectangle rule on [−8, 8]², spectrally accurate for this smooth, fast-decaying integrand.
        const int m = 321;
        double lambda = 1.3, h = 16.0 / (m - 1), z = 0;
        var x = new double[2 * m];
        var r = new double[m];
        var logp = new double[m];
        for (int a = 0; a < m; a++)
        {
            for (int b = 0; b < m; b++)
            {
                x[2 * b] = -8 + a * h;
                x[2 * b + 1] = -8 + b * h;
            }
            reward.Evaluate(x, r, m);
            p.Score(1, 0, x, default, m, logp);
            for (int b = 0; b < m; b++) z += Math.Exp(logp[b] + lambda * r[b]) * h * h;
        }
        Assert.Equal(Math.Log(z), GaussianTilt.LogNormalizer(p, reward, lambda), 1e-6);
    }

    [Fact]
    public void Bad_reward_or_lambda_is_rejected()
    {
        var p = StandardMixtures.Get("skewed2d");
        Assert.Throws<ArgumentException>(() => new GaussianReward([0.0, 0.0], 0));
        Assert.Throws<ArgumentException>(() => new GaussianReward([double.NaN, 0.0], 1));
        Assert.Throws<ArgumentException>(() => GaussianTilt.Apply(p, new GaussianReward([0.0], 1), 1));
        Assert.Throws<ArgumentException>(() => GaussianTilt.Apply(p, new GaussianReward([0.0, 0.0], 1), 0));
    }
}
