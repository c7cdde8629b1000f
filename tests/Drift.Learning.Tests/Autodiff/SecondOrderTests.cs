using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// Hessian–vector products through recorded backward passes (createGraph: true) against central
/// differences of the gradient, for the operations that higher-order losses use; and the fused
/// first-order backward kernels against the differentiable rules they stand in for.
/// </summary>
public class SecondOrderTests
{
    static Tensor<double> V(int seed, double lo, double hi, params int[] shape) => GradCheck.Variable(new Random(seed), lo, hi, shape);

    public static TheoryData<string> UnaryOps => new() { "tanh", "sigmoid", "silu", "gelu", "softplus", "exp", "log", "sin", "cos", "sqrt", "pow", "erf", "square" };

    static (Func<Tensor<double>, Tensor<double>> Op, double Lo, double Hi) Unary(string name) => name switch
    {
        "tanh" => (Ops.Tanh, -2, 2),
        "sigmoid" => (Ops.Sigmoid, -4, 4),
        "silu" => (Ops.Silu, -4, 4),
        "gelu" => (Ops.Gelu, -3, 3),
        "softplus" => (Ops.Softplus, -4, 4),
        "exp" => (Ops.Exp, -2, 1.5),
        "log" => (Ops.Log, 0.5, 3),
        "sin" => (Ops.Sin, -3, 3),
        "cos" => (Ops.Cos, -3, 3),
        "sqrt" => (Ops.Sqrt, 0.5, 3),
        "pow" => (x => Ops.Pow(x, 2.7), 0.5, 2),
        "erf" => (Ops.Erf, -2, 2),
        "square" => (Ops.Square, -2, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Hessian_vector_products_of_element_wise_functions_match_finite_differences_of_the_gradient(string name)
    {
        var (op, lo, hi) = Unary(name);
        GradCheck.CheckHessianVector(op, V(name.Length, lo, hi, 3, 4));
        // Composed with a mixing product, so the Hessian is not diagonal.
        var mix = GradCheck.Uniform(new Random(7), -1, 1, 4, 4);
        // The mixed argument stays within 0.6 of the middle of the op's range (|x|, |mix| < 1, 4 terms).
        GradCheck.CheckHessianVector(x => op(Ops.AddScalar(Ops.MatMul(Ops.Scale(x, 0.15), mix), 0.5 * (lo + hi))), V(name.Length + 1, -1, 1, 3, 4));
    }

    [Fact]
    public void Hessian_vector_products_of_Multiply_and_Divide_with_broadcasting_match_finite_differences()
    {
        GradCheck.CheckHessianVector(t => Ops.Multiply(t[0], t[1]), [V(1, -2, 2, 3, 4), V(2, -2, 2, 4)]);
        GradCheck.CheckHessianVector(t => Ops.Multiply(t[0], t[0]), [V(3, -2, 2, 3, 4)]);
        GradCheck.CheckHessianVector(t => Ops.Divide(t[0], t[1]), [V(4, -2, 2, 3, 4), V(5, 0.5, 2, 3, 1)]);
        GradCheck.CheckHessianVector(t => Ops.Divide(t[0], t[1]), [V(6, 0.5, 2, 2, 3), V(7, -2, 2)]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Hessian_vector_products_of_MatMul_match_finite_differences(bool transposeA, bool transposeB)
    {
        var a = transposeA ? V(1, -1, 1, 4, 3) : V(1, -1, 1, 3, 4);
        var b = transposeB ? V(2, -1, 1, 2, 4) : V(2, -1, 1, 4, 2);
        GradCheck.CheckHessianVector(t => Ops.MatMul(t[0], t[1], transposeA, transposeB), [a, b]);
    }

    [Fact]
    public void Hessian_vector_products_of_Linear_with_and_without_bias_match_finite_differences()
    {
        GradCheck.CheckHessianVector(t => Ops.Tanh(Ops.Linear(t[0], t[1], t[2])), [V(1, -1, 1, 4, 3), V(2, -1, 1, 5, 3), V(3, -1, 1, 5)]);
        GradCheck.CheckHessianVector(t => Ops.Linear(t[0], t[1]), [V(4, -1, 1, 4, 3), V(5, -1, 1, 5, 3)]);
    }

    [Fact]
    public void Hessian_vector_products_of_Sum_Mean_and_LogSumExp_match_finite_differences()
    {
        GradCheck.CheckHessianVector(x => Ops.Sum(Ops.Tanh(x)), V(1, -2, 2, 2, 3, 4));
        GradCheck.CheckHessianVector(x => Ops.Sum(x, 1), V(2, -2, 2, 2, 3, 4));
        GradCheck.CheckHessianVector(x => Ops.Sin(Ops.Sum(x, 2, keepDims: true)), V(3, -2, 2, 2, 3, 4));
        GradCheck.CheckHessianVector(x => Ops.Mean(Ops.Exp(x), 0), V(4, -2, 2, 2, 3, 4));
        for (int axis = 0; axis < 3; axis++)
        {
            int a = axis;
            GradCheck.CheckHessianVector(x => Ops.LogSumExp(x, a), V(5 + a, -2, 2, 2, 3, 4));
            GradCheck.CheckHessianVector(x => Ops.Softmax(x, a), V(8 + a, -2, 2, 2, 3, 4));
        }
    }

    [Fact]
    public void Hessian_vector_products_of_Mse_match_finite_differences()
    {
        GradCheck.CheckHessianVector(t => Ops.Mse(t[0], t[1]), [V(1, -2, 2, 4, 3), V(2, -2, 2, 4, 3)]);
        GradCheck.CheckHessianVector(t => Ops.Mse(Ops.Tanh(t[0]), t[1]), [V(3, -2, 2, 4, 3), V(4, -2, 2, 4, 3)]);
    }

    [Fact]
    public void Hessian_vector_products_of_the_other_losses_and_index_ops_match_finite_differences()
    {
        GradCheck.CheckHessianVector(x => Ops.CrossEntropy(x, [1, 0, 1, 2]), V(1, -2, 2, 4, 3));
        GradCheck.CheckHessianVector(t => Ops.GaussianNll(t[0], t[1], t[2]), [V(2, -1, 1, 4, 2), V(3, 0.5, 2, 4, 1), V(4, -1, 1, 4, 2)]);
        GradCheck.CheckHessianVector(x => Ops.Tanh(Ops.Pick(x, [1, 1, 0])), V(5, -2, 2, 3, 2));
        GradCheck.CheckHessianVector(x => Ops.Sin(Ops.Rows(x, [1, 1, 0, 2])), V(6, -2, 2, 3, 2));
        GradCheck.CheckHessianVector(x => Ops.Concat([Ops.Exp(Ops.Narrow(x, 1, 0, 2)), Ops.Cos(Ops.Narrow(x, 1, 1, 3))], 1), V(7, -2, 2, 2, 4, 3));
        GradCheck.CheckHessianVector(x => Ops.Sigmoid(Ops.Transpose(x.Slice(1, 2).Reshape(3, 2))), V(8, -2, 2, 3, 3));
    }

    // ───────────── fused first-order kernels against the differentiable rules ─────────────

    /// <summary>
    /// The gradient with nothing recorded (the fused kernel) against the gradient with the backward
    /// recorded (the differentiable rule), both exact formulas for the same derivative: they may differ
    /// only by rounding, a few ulps of the largest gradient entry. Compared in ‖·‖∞ because the
    /// derivative crosses zero (SiLU at x ≈ −1.28, GELU at x ≈ −0.75), where an element-wise relative
    /// comparison would measure cancellation, not the kernel.
    /// </summary>
    static void AssertFusedEqualsDifferentiable(Func<Tensor<double>, Tensor<double>> loss, Tensor<double> x)
    {
        var fused = Autograd.Grad(loss(x), x, createGraph: false);
        var recorded = Autograd.Grad(loss(x), x, createGraph: true);
        Assert.False(fused.RequiresGrad);
        Assert.True(recorded.RequiresGrad);
        double scale = fused.ToArray().Max(Math.Abs);
        Assert.True(scale > 0.1);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(fused[i] - recorded[i]) <= 1e-14 * scale, $"element {i} (x = {x[i]:R}): fused {fused[i]:R}, recorded {recorded[i]:R}");
    }

    // Lengths 37 so the vectorised body and the scalar tail of each fused kernel are both exercised.
    [Fact]
    public void Fused_SiLU_backward_equals_the_differentiable_rule()
    {
        var w = GradCheck.Uniform(new Random(1), -1, 1, 37);
        AssertFusedEqualsDifferentiable(x => Ops.Sum(Ops.Multiply(w, Ops.Silu(x))), V(2, -6, 6, 37));
    }

    [Fact]
    public void Fused_Tanh_backward_equals_the_differentiable_rule()
    {
        var w = GradCheck.Uniform(new Random(1), -1, 1, 37);
        AssertFusedEqualsDifferentiable(x => Ops.Sum(Ops.Multiply(w, Ops.Tanh(x))), V(3, -3, 3, 37));
    }

    [Fact]
    public void Fused_GELU_backward_equals_the_differentiable_rule()
    {
        var w = GradCheck.Uniform(new Random(1), -1, 1, 37);
        AssertFusedEqualsDifferentiable(x => Ops.Sum(Ops.Multiply(w, Ops.Gelu(x))), V(4, -5, 5, 37));
    }

    [Fact]
    public void Fused_MSE_backward_equals_the_differentiable_rule()
    {
        var t = GradCheck.Uniform(new Random(1), -1, 1, 37);
        // Scaled so the incoming gradient is not 1 and enters both forms.
        AssertFusedEqualsDifferentiable(x => Ops.Scale(Ops.Mse(x, t), 2.5), V(5, -2, 2, 37));
        var t2 = GradCheck.Uniform(new Random(6), -1, 1, 37);
        var target = Tensor<double>.Variable(t2.Span, 37);
        var fused = Autograd.Grad(Ops.Mse(t, target), target);
        var recorded = Autograd.Grad(Ops.Mse(t, target), target, createGraph: true);
        for (int i = 0; i < 37; i++) Assert.Equal(fused[i], recorded[i], 1e-15);
    }
}
