using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

/// <summary>Misuse fails early with an ArgumentException that names what did not fit.</summary>
public class ErrorMessageTests
{
    static Tensor<double> Z(params int[] shape) => Tensor<double>.Zeros(shape);

    static void ThrowsNaming(Action action, params string[] fragments)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        foreach (var f in fragments) Assert.Contains(f, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_of_shapes_that_do_not_broadcast_names_both_shapes()
    {
        ThrowsNaming(() => Ops.Add(Z(3, 4), Z(5)), "[3, 4]", "[5]");
        ThrowsNaming(() => _ = Z(2, 3) + Z(3, 2), "[2, 3]", "[3, 2]");
        ThrowsNaming(() => Ops.Multiply(Z(2, 3, 4), Z(2, 4)), "[2, 3, 4]", "[2, 4]");
    }

    [Fact]
    public void MatMul_with_mismatched_inner_extents_names_both_shapes()
    {
        ThrowsNaming(() => Ops.MatMul(Z(2, 3), Z(4, 5)), "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.MatMul(Z(2, 3), Z(2, 5), transposeA: false, transposeB: true), "[2, 3]", "[2, 5]");
        ThrowsNaming(() => Ops.MatMul(Z(2, 3, 1), Z(3, 5)), "[2, 3, 1]", "[3, 5]");
    }

    [Fact]
    public void Linear_with_a_mismatched_input_or_bias_names_both_shapes()
    {
        ThrowsNaming(() => Ops.Linear(Z(2, 3), Z(4, 5)), "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.Linear(Z(2, 5), Z(4, 5), Z(3)), "[3]", "[4, 5]");
    }

    [Fact]
    public void Concat_of_parts_that_differ_off_the_axis_names_both_shapes()
    {
        ThrowsNaming(() => Ops.Concat([Z(2, 3), Z(4, 2)], 0), "[2, 3]", "[4, 2]");
        ThrowsNaming(() => Ops.Concat([Z(2, 3), Z(2, 3, 1)], 0), "[2, 3]", "[2, 3, 1]");
    }

    [Fact]
    public void Mse_of_different_shapes_names_both_shapes()
    {
        ThrowsNaming(() => Ops.Mse(Z(2, 3), Z(3, 2)), "[2, 3]", "[3, 2]");
        ThrowsNaming(() => Ops.Mse(Z(6), Z(6, 1)), "[6]", "[6, 1]");
    }

    [Fact]
    public void Backward_of_a_non_scalar_without_gradOutput_throws()
    {
        var x = Tensor<double>.Variable([1, 2, 3], 3);
        var y = Ops.Square(x);
        var e = Assert.Throws<ArgumentException>(() => Autograd.Backward(y));
        Assert.Contains("gradOutput", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Autograd.Grad(y, x));
        // With a cotangent of the right shape it works; of the wrong shape it names both.
        Autograd.Backward(y, Tensor<double>.Ones(3));
        Assert.Equal([2, 4, 6], x.Grad!.ToArray());
        ThrowsNaming(() => Autograd.Backward(y, Tensor<double>.Ones(3, 1)), "[3, 1]", "[3]");
        // A second backward pass adds to the leaf's gradient, as PyTorch's does.
        Autograd.Backward(Ops.Sum(Ops.Scale(x, 10.0)));
        Assert.Equal([12, 14, 16], x.Grad!.ToArray());
    }

    [Fact]
    public void Grad_with_respect_to_a_tensor_that_does_not_require_grad_throws()
    {
        var x = Tensor<double>.Variable([1, 2], 2);
        var c = Tensor<double>.FromSpan([3.0, 4.0], 2);
        var y = Ops.Sum(Ops.Multiply(x, c));
        var e = Assert.Throws<ArgumentException>(() => Autograd.Grad(y, [x, c]));
        Assert.Contains("does not require a gradient", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_of_an_output_computed_under_NoGrad_throws()
    {
        var x = Tensor<double>.Variable([1, 2], 2);
        Tensor<double> y;
        using (GradMode.NoGrad()) y = Ops.Sum(Ops.Square(x));
        Assert.Throws<ArgumentException>(() => Autograd.Backward(y));
    }
}
