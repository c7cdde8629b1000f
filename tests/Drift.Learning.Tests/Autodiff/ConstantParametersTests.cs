using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Autodiff;

/// <summary><see cref="GradMode.ConstantParameters"/>: module parameters read as constants on this thread only.</summary>
public class ConstantParametersTests
{
    [Fact]
    public void Inside_the_scope_a_backward_pass_gives_the_input_gradient_and_no_weight_gradient()
    {
        var layer = new Linear<double>(3, 2, new ParameterRandom(4));
        var x = Tensor<double>.Variable([0.5, -1, 2, 0.1, 0.3, -0.7], 2, 3);
        double[] expected;
        {
            var y = Ops.Sum(Ops.Tanh(layer.Forward(x)));
            expected = Autograd.Grad(y, x).ToArray();
        }
        using (GradMode.ConstantParameters())
        {
            Assert.True(GradMode.ParametersAreConstant);
            Assert.False(layer.Weight.RequiresGrad);
            Assert.True(x.RequiresGrad);
            // Another thread still sees the parameter as a variable.
            bool elsewhere = false;
            var thread = new Thread(() => elsewhere = layer.Weight.RequiresGrad);
            thread.Start();
            thread.Join();
            Assert.True(elsewhere);
            var y = Ops.Sum(Ops.Tanh(layer.Forward(x)));
            Autograd.Backward(y);
            // NoGrad nested inside keeps the parameters constant and restores both states.
            using (GradMode.NoGrad()) Assert.True(GradMode.ParametersAreConstant);
            Assert.True(GradMode.IsEnabled);
        }
        Assert.False(GradMode.ParametersAreConstant);
        Assert.True(layer.Weight.RequiresGrad);
        Assert.Null(layer.Weight.Grad);
        Assert.Null(layer.Bias!.Grad);
        Assert.Equal(expected, x.Grad!.ToArray());
        // Outside the scope the weights take gradients again.
        Autograd.Backward(Ops.Sum(layer.Forward(x)));
        Assert.NotNull(layer.Weight.Grad);
    }
}
