using Drift.Transport;
using Drift.Transport.Wasserstein;

namespace Drift.Transport.Tests;

public class WassersteinTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.5)]
    public void Shifted_distribution_has_the_closed_form_cost(double p)
    {
        var rng = new System.Random(1);
        var x = Enumerable.Range(0, 300).Select(_ => TestData.Normal(rng)).ToArray();
        var a = TestData.Weights(300, 2);
        const double shift = 1.7;
        var y = x.Select(v => v + shift).ToArray();
        // Translating a measure by s moves every quantile by s, so W_p^p = |s|^p exactly.
        Assert.Equal(Math.Pow(shift, p), Wasserstein1D.Cost(x, a, y, a, p), 1e-12);
        Assert.Equal(shift, Wasserstein1D.Distance(x, a, y, a, p), 1e-12);
    }

    [Fact]
    public void Uniform_against_uniform_on_shifted_intervals_matches_the_integral()
    {
        // μ = uniform grid on [0,1], ν = the same grid scaled by 2: W₂² = ∫₀¹ (t − 2t)² dt = 1/3 in the continuum limit;
        // for the midpoint grid of n points the exact discrete value is Σ (tᵢ)²/n with tᵢ = (i + ½)/n.
        const int n = 1000;
        var x = Enumerable.Range(0, n).Select(i => (i + 0.5) / n).ToArray();
        var y = x.Select(v => 2 * v).ToArray();
        var w = TestData.UniformWeights(n);
        double expected = x.Sum(t => t * t) / n;
        Assert.Equal(expected, Wasserstein1D.Cost(y, w, x, w), 1e-13);
        Assert.Equal(1.0 / 3, Wasserstein1D.Cost(y, w, x, w), 1e-6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void One_dimensional_result_has_feasible_potentials_and_zero_duality_gap(double p)
    {
        var rng = new System.Random(20);
        var x = Enumerable.Range(0, 35).Select(_ => TestData.Normal(rng)).ToArray();
        var y = Enumerable.Range(0, 50).Select(_ => 3 * rng.NextDouble()).ToArray();
        var a = TestData.Weights(35, 21);
        var b = TestData.Weights(50, 22);
        a[4] = 0;
        b[0] = 0;
        double sa = a.Sum(), sb = b.Sum();
        for (int j = 0; j < 50; j++) b[j] *= sa / sb;
        var r = Wasserstein1D.Solve(x, a, y, b, p);
        double minReduced = double.PositiveInfinity;
        for (int i = 0; i < 35; i++)
            for (int j = 0; j < 50; j++)
                minReduced = Math.Min(minReduced, Math.Pow(Math.Abs(x[i] - y[j]), p) - r.RowPotential[i] - r.ColumnPotential[j]);
        Assert.True(minReduced > -1e-12, $"dual infeasible by {minReduced}");
        Assert.Equal(r.Cost, r.DualObjective, 1e-12);
        Assert.Equal(Wasserstein1D.Cost(x, a, y, b, p), r.Cost, 1e-15);
        Assert.True(r.MarginalError < 1e-14);
    }

    [Fact]
    public void Monotone_plan_has_the_right_marginals_and_cost()
    {
        var rng = new System.Random(3);
        var x = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 45).Select(_ => rng.NextDouble() * 2).ToArray();
        var a = TestData.Weights(30, 4);
        var b = TestData.Weights(45, 5);
        var plan = Wasserstein1D.Plan(x, a, y, b);
        Assert.True(TestData.MarginalError(plan.ToDense(), 30, 45, a, b) < 1e-14);
        var c = CostMatrix.FromFunction(30, 45, (i, j) => (x[i] - y[j]) * (x[i] - y[j]));
        Assert.Equal(Wasserstein1D.Cost(x, a, y, b), plan.Cost(c), 1e-14);
        Assert.True(plan.StoredCount <= 30 + 45 - 1);
    }

    [Fact]
    public void Sliced_W2_of_two_Gaussians_matches_the_closed_form_within_Monte_Carlo_error()
    {
        // x ~ N(0, I₃), y ~ N(m, σ²I₃): along θ the projections are N(0,1) and N(θ·m, σ²), so
        // W₂² = (θ·m)² + (1 − σ)² and SW₂² = |m|²/3 + (1 − σ)² (E[(θ·m)²] = |m|²/d for θ uniform on S²).
        const int n = 5000, d = 3;
        double[] m = [0.5, -0.5, 0.5];
        const double sigma = 2;
        double truth = m.Sum(v => v * v) / d + (1 - sigma) * (1 - sigma);
        var x = Whitened(n, d, 7, new double[d], 1);
        var y = Whitened(n, d, 8, m, sigma);
        var r = SlicedWasserstein.Estimate(x, y, projections: 500, seed: 42);
        // Whitening makes the samples' means and covariances exact, leaving the direction sampling (standard error
        // reported by the estimator) and a positive finite-sample shape bias σ·W₂²(X̂, Ŷ) = O(log n / n).
        double error = r.PowerMean - truth;
        Assert.True(error > -4 * r.StandardError, $"estimate {r.PowerMean} vs {truth}, SE {r.StandardError}");
        Assert.True(error < 4 * r.StandardError + 0.01, $"estimate {r.PowerMean} vs {truth}, SE {r.StandardError}");
        Assert.True(r.StandardError < 0.02);
        Assert.Equal(Math.Sqrt(r.PowerMean), r.Distance, 1e-15);
    }

    [Fact]
    public void Sliced_estimate_is_reproducible_for_a_seed_and_independent_of_threads()
    {
        var x = TestData.Gaussian(200, 4, 1);
        var y = TestData.Uniform(200, 4, 2);
        var r1 = SlicedWasserstein.Estimate(x, y, 64, seed: 5, threads: 1);
        var r2 = SlicedWasserstein.Estimate(x, y, 64, seed: 5, threads: 4);
        Assert.Equal(r1, r2);
        Assert.NotEqual(r1.PowerMean, SlicedWasserstein.Estimate(x, y, 64, seed: 6).PowerMean);
    }

    [Fact]
    public void Sliced_distance_in_one_dimension_is_the_exact_distance()
    {
        var x = TestData.Gaussian(100, 1, 3);
        var y = TestData.Uniform(100, 1, 4);
        var r = SlicedWasserstein.Estimate(x, y, 8, seed: 1);
        Assert.Equal(Wasserstein1D.Cost(x.Coordinates, x.Weights, y.Coordinates, y.Weights), r.PowerMean, 1e-12);
    }

    /// <summary>n samples of N(mean, σ²I) transformed so their empirical mean and covariance are exactly mean and σ²I.</summary>
    private static PointCloud Whitened(int n, int d, int seed, double[] mean, double sigma)
    {
        var rng = new System.Random(seed);
        var z = new double[n * d];
        for (int k = 0; k < z.Length; k++) z[k] = TestData.Normal(rng);
        var mu = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) mu[k] += z[i * d + k] / n;
        var cov = new double[d, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
                for (int l = 0; l < d; l++) cov[k, l] += (z[i * d + k] - mu[k]) * (z[i * d + l] - mu[l]) / n;
        var chol = new double[d, d];
        for (int k = 0; k < d; k++)
        {
            for (int l = 0; l <= k; l++)
            {
                double s = cov[k, l];
                for (int q = 0; q < l; q++) s -= chol[k, q] * chol[l, q];
                chol[k, l] = k == l ? Math.Sqrt(s) : s / chol[l, l];
            }
        }
        var x = new double[n * d];
        var t = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++)
            {
                double s = z[i * d + k] - mu[k];
                for (int q = 0; q < k; q++) s -= chol[k, q] * t[q];
                t[k] = s / chol[k, k];
            }
            for (int k = 0; k < d; k++) x[i * d + k] = mean[k] + sigma * t[k];
        }
        return new PointCloud(x, d);
    }
}
