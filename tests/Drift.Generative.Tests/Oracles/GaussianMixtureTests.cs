using Drift.Generative.Metrics;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Oracles;

public class GaussianMixtureTests
{
    private static readonly double[] Point = [0.7, -0.3];

    [Fact]
    public void Score_is_the_gradient_and_divergence_the_laplacian_of_the_log_density()
    {
        var m = StandardMixtures.Get("skewed2d");
        double a = 0.8, s = 0.5, h = 1e-5;
        var score = new double[2];
        var div = new double[1];
        m.Score(a, s, Point, score, 1, default, div);
        double lap = 0;
        for (int i = 0; i < 2; i++)
        {
            var p = (double[])Point.Clone();
            p[i] += h;
            double up = m.LogDensity(a, s, p);
            p[i] -= 2 * h;
            double down = m.LogDensity(a, s, p);
            Assert.Equal((up - down) / (2 * h), score[i], 1e-7);
            lap += (up - 2 * m.LogDensity(a, s, Point) + down) / (h * h);
        }
        Assert.Equal(lap, div[0], 1e-3);
    }

    [Fact]
    public void Log_density_matches_a_direct_gaussian_formula()
    {
        var m = StandardMixtures.Get("skewed2d");
        double a = 0.6, s = 0.3, p = 0;
        for (int k = 0; k < m.ComponentCount; k++)
        {
            var c = m.ComponentCovariance(k).ToArray();
            double c00 = a * a * c[0] + s * s, c01 = a * a * c[1], c11 = a * a * c[3] + s * s;
            double det = c00 * c11 - c01 * c01;
            double dx = Point[0] - a * m.ComponentMean(k)[0], dy = Point[1] - a * m.ComponentMean(k)[1];
            double q = (c11 * dx * dx - 2 * c01 * dx * dy + c00 * dy * dy) / det;
            p += m.Weights[k] * Math.Exp(-0.5 * q) / (2 * Math.PI * Math.Sqrt(det));
        }
        Assert.Equal(Math.Log(p), m.LogDensity(a, s, Point), 1e-12);
    }

    /// <summary>
    /// The SIMD block kernel (samples component-major, blocks of up to 64) against a scalar 2×2 closed form per row:
    /// score −Σ_k r_k C_k⁻¹(x − αμ_k) and log density, for 203 points (not a multiple of the block or of any lane width).
    /// </summary>
    [Fact]
    public void Block_kernel_matches_a_scalar_closed_form_per_row()
    {
        var m = StandardMixtures.Get("skewed2d");
        const int n = 203;
        double a = 0.7, s = 0.4;
        var x = new double[2 * n];
        for (int i = 0; i < x.Length; i++) x[i] = 3 * Math.Sin(1.7 * i + 0.3);
        var score = new double[2 * n];
        var lp = new double[n];
        m.Score(a, s, x, score, n, lp);
        for (int r = 0; r < n; r++)
        {
            double x0 = x[2 * r], x1 = x[2 * r + 1], p = 0, g0 = 0, g1 = 0;
            for (int k = 0; k < m.ComponentCount; k++)
            {
                var c = m.ComponentCovariance(k).ToArray();
                double c00 = a * a * c[0] + s * s, c01 = a * a * c[1], c11 = a * a * c[3] + s * s, det = c00 * c11 - c01 * c01;
                double dx = x0 - a * m.ComponentMean(k)[0], dy = x1 - a * m.ComponentMean(k)[1];
                double u0 = (c11 * dx - c01 * dy) / det, u1 = (c00 * dy - c01 * dx) / det;
                double w = m.Weights[k] * Math.Exp(-0.5 * (dx * u0 + dy * u1)) / (2 * Math.PI * Math.Sqrt(det));
                p += w;
                g0 -= w * u0;
                g1 -= w * u1;
            }
            Assert.Equal(Math.Log(p), lp[r], 1e-11);
            Assert.Equal(g0 / p, score[2 * r], 1e-10 * Math.Max(1, Math.Abs(g0 / p)));
            Assert.Equal(g1 / p, score[2 * r + 1], 1e-10 * Math.Max(1, Math.Abs(g1 / p)));
        }
    }

    /// <summary>
    /// A sample's score, log density and divergence are bit-identical whether it is evaluated alone, in a batch of 203
    /// or in chunks of 37 (every lane runs the same IEEE-exact operations), and a NaN row stays in its own row.
    /// </summary>
    [Theory]
    [InlineData("skewed2d")]
    [InlineData("mix16")]
    public void Results_do_not_depend_on_the_batch_and_NaN_stays_in_its_row(string name)
    {
        var m = StandardMixtures.Get(name);
        int d = m.Dimension;
        const int n = 203;
        var x = new double[d * n];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * Math.Cos(0.9 * i + 0.1);
        x[5 * d] = double.NaN;
        double a = 0.9, s = 0.3;
        var score = new double[d * n];
        var lp = new double[n];
        var div = new double[n];
        m.Score(a, s, x, score, n, lp, div);
        var chunkScore = new double[d * n];
        var chunkLp = new double[n];
        var chunkDiv = new double[n];
        for (int first = 0; first < n; first += 37)
        {
            int count = Math.Min(37, n - first);
            m.Score(a, s, x.AsSpan(first * d, count * d), chunkScore.AsSpan(first * d, count * d), count, chunkLp.AsSpan(first, count), chunkDiv.AsSpan(first, count));
        }
        Assert.Equal(score, chunkScore);
        Assert.Equal(lp, chunkLp);
        Assert.Equal(div, chunkDiv);
        var one = new double[d];
        var oneLp = new double[1];
        var oneDiv = new double[1];
        foreach (int r in new[] { 0, 63, 64, 202 })
        {
            m.Score(a, s, x.AsSpan(r * d, d), one, 1, oneLp, oneDiv);
            Assert.Equal(score.AsSpan(r * d, d).ToArray(), one);
            Assert.Equal(lp[r], oneLp[0]);
            Assert.Equal(div[r], oneDiv[0]);
        }
        Assert.True(double.IsNaN(lp[5]) && double.IsNaN(score[5 * d]));
        Assert.True(double.IsFinite(lp[4]) && double.IsFinite(lp[6]) && score.AsSpan(6 * d, d).ToArray().All(double.IsFinite));
    }

    [Fact]
    public void Log_sum_exp_keeps_far_points_finite()
    {
        var m = StandardMixtures.Get("ring8");
        double[] far = [400, -300];
        var score = new double[2];
        var lp = new double[1];
        m.Score(1, 0.01, far, score, 1, lp);
        Assert.True(double.IsFinite(lp[0]) && double.IsFinite(score[0]) && double.IsFinite(score[1]));
    }

    [Fact]
    public void Exact_samples_have_the_mixture_mean_and_covariance()
    {
        // Every moment is held to 5 standard errors. The variance's standard error √((μ₄ − σ⁴)/n) uses the mixture's
        // exact fourth central moment Σ w_k(δ_k⁴ + 6δ_k²v_k + 3v_k²) (δ_k = α m_k − mean, v_k = α²C_k + s²), not the
        // Gaussian √(2/n)σ² (the old window, 10·σ²·√(3/n), was 12 Gaussian SE); the covariance's comes from the sample.
        var m = StandardMixtures.Get("skewed2d");
        const int n = 40000;
        double a = 0.9, s = 0.4;
        var x = new double[n * 2];
        m.Sample(a, s, 3, 0, x, n);
        var mom = SampleMetrics.CoordinateMoments(x, n, 2);
        var mean = m.Mean(a);
        var cov = m.Covariance(a, s);
        for (int j = 0; j < 2; j++)
        {
            Assert.InRange(mom[j].Mean - mean[j], -5 * mom[j].StandardError, 5 * mom[j].StandardError);
            double mu4 = 0;
            for (int k = 0; k < m.ComponentCount; k++)
            {
                double delta = a * m.ComponentMean(k)[j] - mean[j], v = a * a * m.ComponentCovariance(k)[j * 3] + s * s;
                mu4 += m.Weights[k] * (delta * delta * delta * delta + 6 * delta * delta * v + 3 * v * v);
            }
            double varianceSe = Math.Sqrt((mu4 - cov[j * 3] * cov[j * 3]) / n);
            Assert.True(Math.Abs(mom[j].Variance - cov[j * 3]) < 5 * varianceSe, $"Var x_{j} = {mom[j].Variance} vs {cov[j * 3]} (SE {varianceSe})");
        }
        var products = new double[n];
        for (int i = 0; i < n; i++) products[i] = (x[2 * i] - mom[0].Mean) * (x[2 * i + 1] - mom[1].Mean);
        var cross = Drift.Statistics.Moments.Of(products);
        double c = cross.Mean * n / (n - 1);
        Assert.True(Math.Abs(c - cov[1]) < 5 * cross.StandardError, $"Cov = {c} vs {cov[1]} (SE {cross.StandardError})");
    }

    [Fact]
    public void Denoiser_is_the_posterior_mean_for_one_gaussian()
    {
        // x₀ ~ N(μ, Σ), x = αx₀ + σε ⇒ E[x₀|x] = μ + αΣ(α²Σ + σ²I)⁻¹(x − αμ): check in 1-D.
        var m = new GaussianMixture([1.0], [[2.0]], [[0.5]]);
        double a = 0.7, s = 0.6, x = 1.3;
        var d = new double[1];
        m.Denoise(a, s, [x], d, 1);
        Assert.Equal(2.0 + a * 0.5 / (a * a * 0.5 + s * s) * (x - a * 2.0), d[0], 1e-12);
    }

    [Fact]
    public void Model_predictions_agree_across_parameterisations()
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new VpLinearSchedule();
        double t = 0.3;
        var data = new double[2];
        m.AsModel(sch, Prediction.Data).Evaluate(t, Point, data, 1);
        foreach (var p in Enum.GetValues<Prediction>())
        {
            var o = new double[2];
            m.AsModel(sch, p).Evaluate(t, Point, o, 1);
            PredictionConverter.Convert(sch, t, Point, o, p, Prediction.Data);
            Assert.Equal(data[0], o[0], 1e-10);
            Assert.Equal(data[1], o[1], 1e-10);
        }
    }

    [Fact]
    public void Conditioning_a_single_gaussian_gives_the_schur_complement()
    {
        var m = new GaussianMixture([1.0], [[1.0, 2.0]], [[2.0, 0.8, 0.8, 1.0]]);
        var c = m.Condition([1], [3.0]);
        Assert.Equal(1, c.Dimension);
        Assert.Equal(1.0 + 0.8 / 1.0 * (3.0 - 2.0), c.ComponentMean(0)[0], 12);
        Assert.Equal(2.0 - 0.8 * 0.8 / 1.0, c.ComponentCovariance(0)[0], 12);
    }

    [Fact]
    public void Conditioning_reweights_components_by_their_evidence()
    {
        var m = StandardMixtures.Get("ring8");
        var c = m.Condition([0], [3.0]); // x = 3 is on mode 0 only (modes at ±45° have x ≈ 2.1)
        Assert.True(c.Weights[0] > 0.99);
    }

    [Fact]
    public void Invalid_mixtures_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new GaussianMixture([1.0], [[0.0, 0.0]], [[1.0, 2.0, 0.0, 1.0]]));
        Assert.Throws<ArgumentException>(() => new GaussianMixture([1.0], [[0.0, 0.0]], [[-1.0, 0.0, 0.0, 1.0]]));
        Assert.Throws<ArgumentException>(() => new GaussianMixture([-1.0], [[0.0]], [[1.0]]));
        Assert.Throws<ArgumentException>(() => StandardMixtures.Get("nope"));
    }
}
