using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Recording switched off by NoGrad, and allocation-free inference inside a TensorArena.</summary>
public class GradModeAndArenaTests
{
    [Fact]
    public void Outputs_computed_under_NoGrad_do_not_require_grad_and_record_nothing()
    {
        var x = Tensor<double>.Variable([0.5, -1, 2, 0.1], 2, 2);
        var w = Tensor<double>.Variable([1, 2, 3, 4], 2, 2);
        using (GradMode.NoGrad())
        {
            Assert.False(GradMode.IsEnabled);
            Tensor<double>[] outputs =
            [
                Ops.Add(x, w), Ops.Multiply(x, w), Ops.Tanh(x), Ops.Silu(x), Ops.Gelu(x), Ops.Sum(x), Ops.Sum(x, 1),
                Ops.MatMul(x, w), Ops.Linear(x, w), Ops.Concat([x, w], 0), Ops.Reshape(x, [4]), Ops.Slice(x, 0, 1),
                Ops.LogSumExp(x, 1), Ops.Mse(x, w), Ops.CrossEntropy(x, [0, 1]), x * 2.0, -x,
            ];
            foreach (var y in outputs)
            {
                Assert.False(y.RequiresGrad, $"{y} requires grad under NoGrad");
                Assert.True(y.IsLeaf);
            }
            // EnableGrad nests inside NoGrad and restores it.
            using (GradMode.EnableGrad())
            {
                Assert.True(GradMode.IsEnabled);
                Assert.True(Ops.Tanh(x).RequiresGrad);
            }
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
        Assert.True(Ops.Tanh(x).RequiresGrad);
        // Constants alone never record.
        Assert.False(Ops.Tanh(x.Detach()).RequiresGrad);
    }

    [Fact]
    public void A_first_order_backward_records_nothing_while_createGraph_does()
    {
        var x = Tensor<double>.Variable([0.5, -1, 2], 3);
        Assert.False(Autograd.Grad(Ops.Sum(Ops.Tanh(x)), x).RequiresGrad);
        Assert.True(Autograd.Grad(Ops.Sum(Ops.Tanh(x)), x, createGraph: true).RequiresGrad);
        Assert.True(GradMode.IsEnabled);
    }

    sealed class Mlp
    {
        public readonly Tensor<double> W1, B1, W2, B2, W3, B3;

        public Mlp(Random rng)
        {
            W1 = GradCheck.Variable(rng, -0.5, 0.5, 32, 4); B1 = GradCheck.Variable(rng, -0.1, 0.1, 32);
            W2 = GradCheck.Variable(rng, -0.3, 0.3, 32, 32); B2 = GradCheck.Variable(rng, -0.1, 0.1, 32);
            W3 = GradCheck.Variable(rng, -0.3, 0.3, 2, 32); B3 = GradCheck.Variable(rng, -0.1, 0.1, 2);
        }

        public Tensor<double> Forward(Tensor<double> x)
            => Ops.Linear(Ops.Silu(Ops.Linear(Ops.Tanh(Ops.Linear(x, W1, B1)), W2, B2)), W3, B3);
    }

    static double Step(Mlp net, Tensor<double> input, TensorArena<double> arena)
    {
        arena.Reset();
        using var scope = arena.Activate();
        using var off = GradMode.NoGrad();
        var y = net.Forward(input);
        return y[0] + y[y.Length - 1];
    }

    [Fact]
    public void A_warm_NoGrad_forward_pass_inside_an_arena_allocates_nothing()
    {
        var net = new Mlp(new Random(1));
        var input = GradCheck.Uniform(new Random(2), -1, 1, 16, 4);
        double expected;
        using (GradMode.NoGrad()) { var y = net.Forward(input); expected = y[0] + y[y.Length - 1]; }

        var arena = new TensorArena<double>();
        for (int i = 0; i < 3; i++) Assert.Equal(expected, Step(net, input, arena));
        int arrays = arena.ArrayCount;

        // The runtime may allocate a few bytes on this thread once (tiering a method up); an allocation
        // per pass would show in every round, so one clean round of twenty passes out of five is asked for.
        var perRound = new long[5];
        for (int round = 0; round < perRound.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            double sum = 0;
            for (int i = 0; i < 20; i++) sum += Step(net, input, arena);
            perRound[round] = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(20 * expected, sum, 1e-12);
            if (perRound[round] == 0) break;
        }
        Assert.True(perRound.Contains(0), $"every round of twenty passes allocated: {string.Join(", ", perRound)} bytes.");
        Assert.Equal(arrays, arena.ArrayCount);
        // Outside the scope tensors come from the heap again.
        Assert.Null(TensorArena<double>.Current);
    }
}
