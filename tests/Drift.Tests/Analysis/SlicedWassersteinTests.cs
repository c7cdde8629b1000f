using Drift.Analysis;
using Drift.Random;

namespace Drift.Tests.Analysis;

/// <summary>
/// The one sliced Wasserstein estimator against closed forms. For a location–scale pair y = c·x + v (c &gt; 0, x
/// centred) the monotone coupling along θ pairs θᵀxᵢ with c·θᵀxᵢ + θᵀv, so W₂²(θ#x, θ#y) = (θᵀv)² + (1 − c)²·θᵀSθ
/// exactly, S the second-moment matrix of x — the Gaussian W₂ formula on a sample. Averaged over θ uniform on the
/// sphere that is |v|²/d + (1 − c)²·tr S/d.
/// </summary>
public class SlicedWassersteinTests
{
    private static double[] CentredNormals(int n, int d, ulong seed)
    {
        var x = new double[n * d];
        new PhiloxNormals(seed).FillStream(0, 0, x);
        for (int k = 0; k < d; k++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x[i * d + k];
            mean /= n;
            for (int i = 0; i < n; i++) x[i * d + k] -= mean;
        }
        return x;
    }

    [Fact]
    public void Location_scale_pairs_give_the_Gaussian_W2_formula_direction_by_direction_and_on_average()
    {
        const int n = 400, d = 3, projections = 400;
        const double c = 1.5;
        double[] v = [0.5, -1.0, 0.25];
        var x = CentredNormals(n, d, 11);
        var y = new double[n * d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) y[i * d + k] = c * x[i * d + k] + v[k];
        var s = new double[d * d];
        for (int i = 0; i < n; i++) for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) s[p * d + q] += x[i * d + p] * x[i * d + q] / n;

        var r = SlicedWasserstein.Estimate(x, [], y, [], d, projections, seed: 3);

        // Direction by direction, with the estimator's documented directions (Philox stream l, normalised).
        var normals = new PhiloxNormals(3);
        var theta = new double[d];
        double sum = 0;
        for (int l = 0; l < projections; l++)
        {
            normals.FillStream((ulong)l, 0, theta);
            double norm = Math.Sqrt(theta.Sum(t => t * t));
            double tv = 0, tst = 0;
            for (int p = 0; p < d; p++)
            {
                tv += theta[p] / norm * v[p];
                for (int q = 0; q < d; q++) tst += theta[p] / norm * s[p * d + q] * theta[q] / norm;
            }
            sum += tv * tv + (1 - c) * (1 - c) * tst;
        }
        Assert.Equal(sum / projections, r.PowerMean, 1e-12 * (sum / projections));

        // On average over the sphere: E[(θᵀv)²] = |v|²/d, E[θᵀSθ] = tr S/d.
        double truth = (v.Sum(t => t * t) + (1 - c) * (1 - c) * (s[0] + s[4] + s[8])) / d;
        Assert.True(Math.Abs(r.PowerMean - truth) < 5 * r.StandardError, $"SW₂² {r.PowerMean} vs {truth}, SE {r.StandardError}");
        Assert.True(r.StandardError < 0.03 * truth, $"SE {r.StandardError} too large to test anything");
        Assert.Equal(Math.Sqrt(r.PowerMean), r.Distance, 1e-15);
    }

    [Fact]
    public void In_one_dimension_the_sliced_distance_is_the_exact_distance_and_weights_are_honoured()
    {
        // Two atoms (0: ½, 1: ½) against three (0: ¼, 0.5: ¼, 2: ½), by the quantile coupling: mass [0, ¼) goes 0 → 0,
        // [¼, ½) 0 → 0.5, [½, 1) 1 → 2, so W₁ = ¼·0.5 + ½·1 = 0.625 and W₂² = ¼·0.25 + ½·1 = 0.5625.
        double[] x = [1, 0], a = [0.5, 0.5], y = [2, 0.5, 0], b = [0.5, 0.25, 0.25];
        var r1 = SlicedWasserstein.Estimate(x, a, y, b, 1, projections: 5, p: 1);
        var r2 = SlicedWasserstein.Estimate(x, a, y, b, 1, projections: 5, p: 2);
        Assert.Equal(0.625, r1.PowerMean, 1e-15);
        Assert.Equal(0.5625, r2.PowerMean, 1e-15);
        Assert.Equal(0.0, r2.StandardError);
        Assert.Equal(0.5625, MonotoneCoupling.Cost(x, a, y, b), 1e-15);
    }

    [Fact]
    public void Estimates_depend_on_the_seed_only_not_on_threads()
    {
        var x = CentredNormals(120, 4, 1);
        var y = CentredNormals(90, 4, 2);
        var r1 = SlicedWasserstein.Estimate(x, [], y, [], 4, 64, seed: 5, threads: 1);
        var r2 = SlicedWasserstein.Estimate(x, [], y, [], 4, 64, seed: 5, threads: 2);
        Assert.Equal(r1, r2);
        Assert.NotEqual(r1.PowerMean, SlicedWasserstein.Estimate(x, [], y, [], 4, 64, seed: 6).PowerMean);
    }

    [Fact]
    public void Bad_input_is_refused_on_the_calling_thread_with_a_reason()
    {
        double[] x = [0, 1, 2, 3], y = [0, 1, 2, 3];
        Assert.Throws<ArgumentOutOfRangeException>(() => SlicedWasserstein.Estimate(x, [], y, [], 0));
        Assert.Contains("multiple of the dimension 3", Assert.Throws<ArgumentException>(() => SlicedWasserstein.Estimate(x, [], y, [], 3)).Message);
        Assert.Contains("weights must be finite and non-negative", Assert.Throws<ArgumentException>(() => SlicedWasserstein.Estimate(x, [0.5, -0.5, 0.5, 0.5], y, [], 1)).Message);
        Assert.Contains("masses must be equal", Assert.Throws<ArgumentException>(() => SlicedWasserstein.Estimate(x, [1, 1, 1, 1], y, [], 1)).Message);
        Assert.Contains("point 1, coordinate 1", Assert.Throws<ArgumentException>(() => SlicedWasserstein.Estimate(x, [], [0, 1, 2, double.NaN], [], 2)).Message);
        Assert.Throws<ArgumentException>(() => SlicedWasserstein.Estimate(x, [], y, [], 1, p: 0.5));
    }
}
