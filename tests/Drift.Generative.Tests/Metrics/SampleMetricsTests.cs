using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Random;

namespace Drift.Generative.Tests.Metrics;

/// <summary>The metrics every sampler test leans on, checked against closed forms rather than against themselves.</summary>
public class SampleMetricsTests
{
    private static double[] Normals(ulong seed, int count)
    {
        var z = new double[count];
        new PhiloxNormals(seed).FillStream(0, 0, z);
        return z;
    }

    /// <summary>A fixed permutation, so that the metric has to sort rather than rely on the input order.</summary>
    private static double[] Shuffled(double[] rows, int dimension, ulong seed)
    {
        int n = rows.Length / dimension;
        var keys = Normals(seed, n);
        var order = Enumerable.Range(0, n).OrderBy(i => keys[i]).ToArray();
        var result = new double[rows.Length];
        for (int i = 0; i < n; i++) Array.Copy(rows, order[i] * dimension, result, i * dimension, dimension);
        return result;
    }

    [Theory]
    [InlineData(0.7, 1.0, 1.5)]
    [InlineData(-2.0, 0.5, 0.2)]
    [InlineData(0.0, 1.0, 1.0)]
    public void Sliced_W2_in_one_dimension_is_the_W2_between_Gaussians(double shift, double s1, double s2)
    {
        // W₂²(N(m₁, s₁²), N(m₂, s₂²)) = (m₁ − m₂)² + (s₁ − s₂)², attained by the monotone map. With a = m₁ + s₁z and
        // b = m₂ + s₂z (shuffled) on one normal sample z, the sorted coupling gives exactly
        // Δm² + 2ΔmΔs·mean(z) + Δs²·mean(z²), whose deviation from the closed form has variance (4Δm²Δs² + 2Δs⁴)/n.
        const int n = 1 << 14;
        var z = Normals(5, n);
        var a = z.Select(v => s1 * v).ToArray();
        var b = Shuffled(z.Select(v => shift + s2 * v).ToArray(), 1, 6);
        double sw = SampleMetrics.SlicedWasserstein2(a, b, n, 1, projections: 3);
        double ds = s2 - s1, zMean = z.Average(), zSquare = z.Average(v => v * v);
        Assert.Equal(shift * shift + 2 * shift * ds * zMean + ds * ds * zSquare, sw * sw, 1e-12 * (1 + sw * sw));
        double closed = shift * shift + ds * ds, se = Math.Sqrt((4 * shift * shift * ds * ds + 2 * ds * ds * ds * ds) / n);
        Assert.True(Math.Abs(sw * sw - closed) <= 5 * se, $"SW₂² = {sw * sw}, closed form {closed} ± {se}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Sliced_W2_of_a_translation_averages_the_projected_shift_over_uniform_directions(int d)
    {
        // b = a + c: every projection is shifted by θᵀc, so SW₂² = mean_p (θ_pᵀc)² over unit directions θ_p. For θ uniform
        // on the sphere (θᵀc/|c|)² ~ Beta(½, (d − 1)/2): mean 1/d, variance 2(d − 1)/(d²(d + 2)). Directions that were not
        // normalised or not isotropic would miss |c|²/d by many standard errors.
        const int n = 64, projections = 8192;
        var a = Normals(7, n * d);
        var c = Enumerable.Range(0, d).Select(j => 0.5 + j).ToArray();
        double c2 = c.Sum(v => v * v);
        var b = Shuffled(a.Select((v, i) => v + c[i % d]).ToArray(), d, 8);
        double sw2 = Math.Pow(SampleMetrics.SlicedWasserstein2(a, b, n, d, projections), 2);
        double se = c2 * Math.Sqrt(2.0 * (d - 1) / (d * d * (d + 2.0)) / projections);
        Assert.True(Math.Abs(sw2 - c2 / d) <= 5 * se, $"d = {d}: SW₂² = {sw2}, |c|²/d = {c2 / d} ± {se}");
        // Identical sets are at distance zero whatever the order.
        Assert.Equal(0.0, SampleMetrics.SlicedWasserstein2(a, Shuffled(a, d, 9), n, d, 16));
    }

    [Fact]
    public void Mode_masses_count_the_most_probable_component_of_the_noised_law()
    {
        // Three far-apart components (weights 0.5/0.3/0.2): points placed at the noised means α m_k belong to k, and a
        // point equidistant from all three means goes to the heaviest. At α = 0.5, σ = 0.3 the law is Σ w_k N(α m_k, α²I + σ²I).
        var m = new GaussianMixture([0.5, 0.3, 0.2], [[-10.0, 0.0], [10.0, 0.0], [0.0, 10.0]], [[1.0, 0, 0, 1.0], [1.0, 0, 0, 1.0], [1.0, 0, 0, 1.0]]);
        double alpha = 0.5, sigma = 0.3;
        int[] labels = [1, 1, 2, 0, 1, 2, 2, 2, 1, 0];
        var x = new double[(labels.Length + 1) * 2];
        for (int i = 0; i < labels.Length; i++)
        {
            x[2 * i] = alpha * m.ComponentMean(labels[i])[0] + 0.05 * i;
            x[2 * i + 1] = alpha * m.ComponentMean(labels[i])[1] - 0.03 * i;
        }
        // (0, 0) is at distance 5 from every noised mean: the weights decide.
        var masses = SampleMetrics.ModeMasses(m, alpha, sigma, x, labels.Length + 1);
        Assert.Equal([3.0 / 11, 4.0 / 11, 4.0 / 11], masses);

        // Exact samples: counts are multinomial with the weights (misclassification needs a 7σ excursion, p < 1e-11).
        const int n = 20000;
        var samples = new double[n * 2];
        m.Sample(1, 0, 11, 0, samples, n);
        var sampled = SampleMetrics.ModeMasses(m, 1, 0, samples, n);
        for (int k = 0; k < 3; k++)
        {
            double w = m.Weights[k], se = Math.Sqrt(w * (1 - w) / n);
            Assert.True(Math.Abs(sampled[k] - w) <= 5 * se, $"mode {k}: mass {sampled[k]} vs weight {w} ± {se}");
        }
    }

    [Fact]
    public void Coordinate_moments_of_an_arithmetic_sequence_are_the_closed_forms()
    {
        // Column 0 is 0, 1, …, n − 1 (mean (n − 1)/2, sample variance n(n + 1)/12); column 1 is 2i + 5.
        const int n = 1001;
        var x = new double[n * 2];
        for (int i = 0; i < n; i++) { x[2 * i] = i; x[2 * i + 1] = 2 * i + 5; }
        var moments = SampleMetrics.CoordinateMoments(x, n, 2);
        Assert.Equal((n - 1) / 2.0, moments[0].Mean, 1e-12);
        Assert.Equal(n * (n + 1) / 12.0, moments[0].Variance, 1e-9);
        Assert.Equal(Math.Sqrt(n * (n + 1) / 12.0 / n), moments[0].StandardError, 1e-12);
        Assert.Equal(n + 4.0, moments[1].Mean, 1e-12);
        Assert.Equal(4 * n * (n + 1) / 12.0, moments[1].Variance, 1e-9);
        Assert.Equal((0.0, n - 1.0, 5.0, 2.0 * n + 3), (moments[0].Min, moments[0].Max, moments[1].Min, moments[1].Max));
    }

    [Fact]
    public void Unbiased_MMD_has_the_closed_form_expectation_between_Gaussians()
    {
        // With k(x, y) = exp(−|x − y|²/(2h²)) and P = N(μ₁, s₁²I), Q = N(μ₂, s₂²I) in d dimensions,
        // E k(X, X′) = (h²/(h² + 2s₁²))^{d/2}, E k(X, Y) = (h²/(h² + s₁² + s₂²))^{d/2} exp(−|μ₁ − μ₂|²/(2(h² + s₁² + s₂²))),
        // and the U-statistic is unbiased: its mean over 32 independent replicates is within 5 SE of the closed form.
        const int d = 2, n = 300, replicates = 32;
        double s1 = 1.0, s2 = 1.3, h = 1.5;
        double[] mu2 = [0.4, -0.3];
        var p = new GaussianMixture([1.0], [[0.0, 0.0]], [[s1 * s1, 0, 0, s1 * s1]]);
        var q = new GaussianMixture([1.0], [mu2], [[s2 * s2, 0, 0, s2 * s2]]);
        double Pow(double v) => Math.Pow(v, d / 2.0);
        double delta2 = mu2.Sum(v => v * v);
        double exact = Pow(h * h / (h * h + 2 * s1 * s1)) + Pow(h * h / (h * h + 2 * s2 * s2))
            - 2 * Pow(h * h / (h * h + s1 * s1 + s2 * s2)) * Math.Exp(-delta2 / (2 * (h * h + s1 * s1 + s2 * s2)));
        var values = new double[replicates];
        var a = new double[n * d];
        var b = new double[n * d];
        for (int r = 0; r < replicates; r++)
        {
            p.Sample(1, 0, 100, r * (long)n, a, n);
            q.Sample(1, 0, 200, r * (long)n, b, n);
            values[r] = SampleMetrics.Mmd2(a, b, n, d, h);
        }
        double mean = values.Average(), se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicates - 1) / replicates);
        Assert.True(Math.Abs(mean - exact) <= 5 * se, $"MMD² = {mean} ± {se}, closed form {exact}");
        Assert.True(exact > 10 * se, "the distributions differ by much more than the noise, so the test can tell");
    }
}
