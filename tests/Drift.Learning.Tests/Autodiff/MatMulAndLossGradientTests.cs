using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Finite-difference checks of the matrix products and of the losses.</summary>
public class MatMulAndLossGradientTests
{
    static Tensor<double> V(int seed, params int[] shape) => GradCheck.Variable(new Random(seed), -2, 2, shape);

    static double[,] Dense(Tensor<double> t, bool transpose)
    {
        int r = t.Shape[0], c = t.Shape[1];
        var m = transpose ? new double[c, r] : new double[r, c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                if (transpose) m[j, i] = t[i, j]; else m[i, j] = t[i, j];
        return m;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul_with_every_transpose_combination_matches_finite_differences(bool transposeA, bool transposeB)
    {
        const int m = 3, k = 4, n = 5;
        var a = transposeA ? V(1, k, m) : V(1, m, k);
        var b = transposeB ? V(2, n, k) : V(2, k, n);
        var y = Ops.MatMul(a, b, transposeA, transposeB);
        Assert.Equal([m, n], y.Shape.ToArray());
        var (A, B) = (Dense(a, transposeA), Dense(b, transposeB));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += A[i, p] * B[p, j];
                Assert.Equal(s, y[i, j], 1e-13);
            }
        GradCheck.Check(t => Ops.MatMul(t[0], t[1], transposeA, transposeB), [a, b]);
    }

    [Fact]
    public void MatMul_of_a_matrix_with_itself_accumulates_both_gradients()
    {
        GradCheck.Check(t => Ops.MatMul(t[0], t[0], transposeA: true), [V(3, 4, 3)]);
        GradCheck.Check(t => Ops.MatMul(t[0], t[0]), [V(4, 3, 3)]);
    }

    [Fact]
    public void Linear_with_and_without_bias_matches_finite_differences()
    {
        var x = V(1, 5, 3);
        var w = V(2, 4, 3);
        var b = V(3, 4);
        var y = Ops.Linear(x, w, b);
        for (int r = 0; r < 5; r++)
            for (int o = 0; o < 4; o++)
            {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += x[r, i] * w[o, i];
                Assert.Equal(s, y[r, o], 1e-13);
            }
        GradCheck.Check(t => Ops.Linear(t[0], t[1], t[2]), [x, w, b]);
        GradCheck.Check(t => Ops.Linear(t[0], t[1]), [x, w]);
        // Only some of the operands variables: the others are constants.
        GradCheck.Check(t => Ops.Linear(x.Detach(), t[0], t[1]), [w, b]);
        GradCheck.Check(t => Ops.Linear(t[0], w.Detach(), b.Detach()), [x]);
    }

    [Fact]
    public void Mse_matches_finite_differences_in_prediction_and_target()
    {
        var p = V(1, 4, 3);
        var t = V(2, 4, 3);
        var loss = Ops.Mse(p, t);
        Assert.Equal(p.ToArray().Zip(t.ToArray(), (a, b) => (a - b) * (a - b)).Average(), loss.ToScalar(), 1e-14);
        GradCheck.Check(x => Ops.Mse(x[0], x[1]), [p, t]);
        GradCheck.Check(x => Ops.Mse(Ops.Tanh(x[0]), t.Detach()), [p]);
    }

    [Fact]
    public void GaussianNll_with_a_per_row_variance_matches_finite_differences()
    {
        var rng = new Random(3);
        var mean = GradCheck.Variable(rng, -1, 1, 6, 3);
        var variance = GradCheck.Variable(rng, 0.3, 2, 6, 1);
        var target = GradCheck.Variable(rng, -1, 1, 6, 3);
        var loss = Ops.GaussianNll(mean, variance, target);
        double expected = 0;
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 3; c++)
            {
                double v = variance[r], d = mean[r, c] - target[r, c];
                expected += 0.5 * (Math.Log(v) + d * d / v);
            }
        Assert.Equal(expected / 18, loss.ToScalar(), 1e-14);
        GradCheck.Check(x => Ops.GaussianNll(x[0], x[1], x[2]), [mean, variance, target]);
        // Full-shape and scalar variances broadcast as well.
        GradCheck.Check(x => Ops.GaussianNll(x[0], x[1], x[2]), [mean, GradCheck.Variable(rng, 0.3, 2, 6, 3), target]);
        GradCheck.Check(x => Ops.GaussianNll(x[0], x[1], x[2]), [mean, GradCheck.Variable(rng, 0.3, 2), target]);
    }

    [Fact]
    public void GaussianNll_passes_no_gradient_to_a_variance_clamped_at_epsilon()
    {
        var mean = Tensor<double>.Variable([0.5, -0.5], 2, 1);
        var variance = Tensor<double>.Variable([1e-9, 0.5], 2, 1);
        var target = Tensor<double>.FromSpan([0.0, 0.0], 2, 1);
        var g = Autograd.Grad(Ops.GaussianNll(mean, variance, target, epsilon: 1e-3), variance);
        Assert.Equal(0, g[0]);
        Assert.NotEqual(0, g[1]);
    }

    [Fact]
    public void CrossEntropy_with_repeated_labels_matches_finite_differences()
    {
        var logits = V(1, 5, 4);
        int[] labels = [2, 0, 2, 3, 2];
        var loss = Ops.CrossEntropy(logits, labels);
        double expected = 0;
        for (int r = 0; r < 5; r++)
        {
            double s = 0;
            for (int c = 0; c < 4; c++) s += Math.Exp(logits[r, c]);
            expected += Math.Log(s) - logits[r, labels[r]];
        }
        Assert.Equal(expected / 5, loss.ToScalar(), 1e-14);
        GradCheck.Check(x => Ops.CrossEntropy(x, labels), logits);
        // Logits near 1000: finite, and the gradient softmax − onehot still matches (with the step suited to
        // that magnitude, 1e-7·|x| ≈ 1e-4, as in the LogSumExp test near 1000).
        var large = GradCheck.Variable(new Random(2), 998, 1002, 5, 4);
        Assert.True(double.IsFinite(Ops.CrossEntropy(large, labels).ToScalar()));
        GradCheck.Check(x => Ops.CrossEntropy(x, labels), large, relativeStep: 1e-7);
    }
}
