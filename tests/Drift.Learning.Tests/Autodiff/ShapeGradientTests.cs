using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Finite-difference checks of the operations that move, repeat, join, cut and gather elements.</summary>
public class ShapeGradientTests
{
    static Tensor<double> V(int seed, params int[] shape) => GradCheck.Variable(new Random(seed), -2, 2, shape);

    [Fact]
    public void SumTo_and_BroadcastTo_are_adjoint_and_match_finite_differences()
    {
        GradCheck.Check(t => Ops.SumTo(t, [3, 1]), V(1, 2, 3, 4));
        GradCheck.Check(t => Ops.SumTo(t, [4]), V(2, 2, 3, 4));
        GradCheck.Check(t => Ops.SumTo(t, [2, 1, 4]), V(3, 2, 3, 4));
        GradCheck.Check(t => Ops.SumTo(t, []), V(4, 2, 3));
        GradCheck.Check(t => Ops.BroadcastTo(t, [2, 3, 4]), V(5, 3, 1));
        GradCheck.Check(t => Ops.BroadcastTo(t, [2, 3, 4]), V(6, 4));
        GradCheck.Check(t => Ops.BroadcastTo(t, [2, 3]), V(7));
        GradCheck.Check(t => Ops.BroadcastTo(t, [5, 2]), V(8, 1, 2));
        // ⟨BroadcastTo(a), b⟩ = ⟨a, SumTo(b)⟩.
        var rng = new Random(9);
        var a = GradCheck.Uniform(rng, -1, 1, 3, 1);
        var b = GradCheck.Uniform(rng, -1, 1, 2, 3, 4);
        double left = Ops.Sum(Ops.Multiply(Ops.BroadcastTo(a, [2, 3, 4]), b)).ToScalar();
        double right = Ops.Sum(Ops.Multiply(a, Ops.SumTo(b, [3, 1]))).ToScalar();
        Assert.Equal(left, right, 1e-14);
    }

    [Fact]
    public void Reshape_and_Slice_views_match_finite_differences()
    {
        GradCheck.Check(t => Ops.Reshape(t, [4, 6]), V(1, 2, 3, 4));
        GradCheck.Check(t => t.Reshape(-1), V(2, 2, 3, 4));
        GradCheck.Check(t => t.Reshape(3, -1, 2), V(3, 2, 3, 4));
        GradCheck.Check(t => Ops.Reshape(t, []), V(4, 1, 1));
        GradCheck.Check(t => Ops.Slice(t, 1, 2), V(5, 4, 3));
        GradCheck.Check(t => t.Slice(0, 1), V(6, 2, 3, 4));
        // A view of a view, and a view used alongside its base.
        GradCheck.Check(t => Ops.Multiply(t.Slice(1, 3).Reshape(3, 2, 2).Slice(1, 1), t.Slice(0, 1).Reshape(1, 2, 2)), V(7, 4, 4));
    }

    [Fact]
    public void Transpose_matches_finite_differences()
    {
        GradCheck.Check(Ops.Transpose, V(1, 3, 5));
        var x = V(2, 2, 3);
        var t = Ops.Transpose(x);
        Assert.Equal([3, 2], t.Shape.ToArray());
        Assert.Equal(x[1, 2], t[2, 1]);
    }

    [Fact]
    public void Concat_Narrow_Pad_and_Split_on_a_middle_axis_match_finite_differences()
    {
        var a = V(1, 2, 3, 4);
        var b = V(2, 2, 1, 4);
        var c = V(3, 2, 2, 4);
        var joined = Ops.Concat([a, b, c], 1);
        Assert.Equal([2, 6, 4], joined.Shape.ToArray());
        Assert.Equal(b.Span[4 + 2], joined.Span[1 * 24 + 3 * 4 + 2]);
        GradCheck.Check(t => Ops.Concat(t, 1), [a, b, c]);
        GradCheck.Check(t => Ops.Concat(t, 0), [V(4, 2, 3), V(5, 1, 3)]);
        GradCheck.Check(t => Ops.Concat(t, -1), [V(6, 2, 3), V(7, 2, 2)]);
        // A tensor concatenated with itself receives both halves of the gradient.
        GradCheck.Check(t => Ops.Concat([t[0], t[0]], 1), [V(8, 2, 2, 3)]);

        GradCheck.Check(t => Ops.Narrow(t, 1, 1, 3), V(9, 2, 5, 3));
        GradCheck.Check(t => Ops.Narrow(t, 2, 0, 1), V(10, 2, 5, 3));
        GradCheck.Check(t => Ops.Pad(t, 1, 2, 6), V(11, 2, 3, 4));

        var x = V(12, 2, 6, 3);
        var parts = Ops.Split(x, 1, 1, 3, 2);
        Assert.Equal([[2, 1, 3], [2, 3, 3], [2, 2, 3]], parts.Select(p => p.Shape.ToArray()).ToArray());
        // Every part used, with different weights, so each slice's gradient lands in its own place.
        GradCheck.Check(t =>
        {
            var p = Ops.Split(t, 1, 1, 3, 2);
            return Ops.Concat([Ops.Exp(p[2]), Ops.Sin(p[0]), Ops.Square(p[1])], 1);
        }, x);
        // Unused parts get zero gradient.
        var g = Autograd.Grad(Ops.Sum(Ops.Split(x, 1, 1, 3, 2)[1]), x);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 6; j++)
                for (int k = 0; k < 3; k++)
                    Assert.Equal(j is >= 1 and < 4 ? 1.0 : 0.0, g.Span[i * 18 + j * 3 + k]);
    }

    [Fact]
    public void Pick_with_repeated_indices_matches_finite_differences()
    {
        var x = V(1, 5, 4);
        int[] index = [2, 2, 0, 2, 3];
        var y = Ops.Pick(x, index);
        for (int r = 0; r < 5; r++) Assert.Equal(x[r, index[r]], y[r]);
        GradCheck.Check(t => Ops.Pick(t, index), x);
        // Picked twice from the same matrix: both contributions add.
        GradCheck.Check(t => Ops.Multiply(Ops.Pick(t, index), Ops.Pick(t, [2, 1, 0, 2, 3])), x);
    }

    [Fact]
    public void Rows_with_repeated_indices_accumulates_and_matches_finite_differences()
    {
        var table = V(1, 4, 3);
        int[] index = [1, 3, 1, 1, 0, 3];
        var y = Ops.Rows(table, index);
        Assert.Equal([6, 3], y.Shape.ToArray());
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(table[index[r], c], y[r, c]);
        GradCheck.Check(t => Ops.Rows(t, index), table);
        var g = Autograd.Grad(Ops.Sum(Ops.Rows(table, index)), table);
        Assert.Equal([1, 1, 1, 3, 3, 3, 0, 0, 0, 2, 2, 2], g.ToArray());
        GradCheck.Check(t => Ops.Tanh(Ops.Rows(t, index)), table);
    }
}
