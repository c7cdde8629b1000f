using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Gradients computed in float agree with the float64 ones (which the finite-difference checks vouch for).</summary>
public class SinglePrecisionTests
{
    static (Tensor<float> F, Tensor<double> D) Pair(int seed, double lo, double hi, params int[] shape)
    {
        var d = GradCheck.Uniform(new Random(seed), lo, hi, shape);
        // Round to float first so both precisions differentiate at the very same point.
        var values = d.ToArray().Select(v => (float)v).ToArray();
        var f = Tensor<float>.Variable(values, shape);
        var dv = Tensor<double>.Variable(values.Select(v => (double)v).ToArray(), shape);
        return (f, dv);
    }

    /// <summary>
    /// ‖g_float − g_double‖∞ ≤ 1e-5·‖g_double‖∞: float's ε is 6e-8, and these few-step computations
    /// accumulate at most some tens of ulps, so 1e-5 is two orders of margin while a wrong float path
    /// (an error of order |g|) fails. Norm-wise because single entries may be near zero.
    /// </summary>
    static void AssertClose(Tensor<float> gf, Tensor<double> gd, string what)
    {
        Assert.Equal(gd.Shape.ToArray(), gf.Shape.ToArray());
        double scale = gd.ToArray().Max(Math.Abs);
        Assert.True(scale > 1e-3, $"{what}: gradient too small to compare");
        for (int i = 0; i < gd.Length; i++)
            Assert.True(Math.Abs(gf[i] - gd[i]) <= 1e-5 * scale, $"{what} element {i}: float {gf[i]:R}, double {gd[i]:R}");
    }

    static void Compare(string what, Func<Tensor<float>, Tensor<float>> f, Func<Tensor<double>, Tensor<double>> d, int seed, double lo, double hi, params int[] shape)
    {
        var (xf, xd) = Pair(seed, lo, hi, shape);
        var yf = f(xf);
        var rng = new Random(seed + 100);
        var w = GradCheck.Projection(rng, yf.Shape);
        var wf = Tensor<float>.FromSpan(w.ToArray().Select(v => (float)v).ToArray(), yf.Shape);
        var wd = Tensor<double>.FromSpan(wf.ToArray().Select(v => (double)v).ToArray(), yf.Shape);
        var gf = Autograd.Grad(Ops.Sum(Ops.Multiply(wf, yf)), xf);
        var gd = Autograd.Grad(Ops.Sum(Ops.Multiply(wd, d(xd))), xd);
        AssertClose(gf, gd, what);
    }

    [Fact]
    public void Float_gradients_of_element_wise_functions_agree_with_double()
    {
        Compare("tanh", Ops.Tanh, Ops.Tanh, 1, -2, 2, 5, 7);
        Compare("sigmoid", Ops.Sigmoid, Ops.Sigmoid, 2, -4, 4, 5, 7);
        Compare("silu", Ops.Silu, Ops.Silu, 3, -4, 4, 5, 7);
        Compare("gelu", Ops.Gelu, Ops.Gelu, 4, -4, 4, 5, 7);
        Compare("softplus", Ops.Softplus, Ops.Softplus, 5, -4, 4, 5, 7);
        Compare("exp", Ops.Exp, Ops.Exp, 6, -2, 2, 5, 7);
        Compare("log", Ops.Log, Ops.Log, 7, 0.5, 3, 5, 7);
        Compare("pow", x => Ops.Pow(x, 1.5f), x => Ops.Pow(x, 1.5), 8, 0.5, 3, 5, 7);
    }

    [Fact]
    public void Float_gradients_of_products_reductions_and_losses_agree_with_double()
    {
        var (bf, bd) = Pair(10, -1, 1, 7, 3);
        Compare("matmul", x => Ops.MatMul(x, bf.Detach()), x => Ops.MatMul(x, bd.Detach()), 11, -1, 1, 5, 7);
        var (wf, wd) = Pair(12, -1, 1, 4, 7);
        Compare("linear", x => Ops.Tanh(Ops.Linear(x, wf.Detach())), x => Ops.Tanh(Ops.Linear(x, wd.Detach())), 13, -1, 1, 5, 7);
        Compare("logsumexp", x => Ops.LogSumExp(x, 1), x => Ops.LogSumExp(x, 1), 14, -3, 3, 5, 7);
        Compare("softmax", x => Ops.Softmax(x, 0), x => Ops.Softmax(x, 0), 15, -3, 3, 5, 7);
        Compare("cross-entropy", x => Ops.CrossEntropy(x, [1, 0, 6, 6, 3]), x => Ops.CrossEntropy(x, [1, 0, 6, 6, 3]), 16, -3, 3, 5, 7);
        var (tf, td) = Pair(17, -1, 1, 5, 7);
        Compare("mse", x => Ops.Mse(x, tf.Detach()), x => Ops.Mse(x, td.Detach()), 18, -1, 1, 5, 7);
        Compare("broadcast-divide", x => Ops.Divide(x, Ops.AddScalar(Ops.Sum(Ops.Square(x), 1, keepDims: true), 1f)),
            x => Ops.Divide(x, Ops.AddScalar(Ops.Sum(Ops.Square(x), 1, keepDims: true), 1.0)), 19, -1, 1, 5, 7);
    }

    [Fact]
    public void Float_second_derivatives_agree_with_double()
    {
        var (xf, xd) = Pair(20, -1.5, 1.5, 6);
        var gf = Autograd.Grad(Ops.Sum(Ops.Tanh(xf)), xf, createGraph: true);
        var gd = Autograd.Grad(Ops.Sum(Ops.Tanh(xd)), xd, createGraph: true);
        AssertClose(Autograd.Grad(Ops.Sum(Ops.Square(gf)), xf), Autograd.Grad(Ops.Sum(Ops.Square(gd)), xd), "tanh second order");
    }
}
