using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

public class FastSigmoidTests
{
    [Fact]
    public void Float_sigmoid_is_within_4_ulp_of_the_double_precision_value_everywhere()
    {
        var xs = new List<float>();
        for (float v = -100f; v <= 100f; v += 0.01173f) xs.Add(v);
        xs.AddRange([0f, -0f, 1e-30f, -1e-30f, 80f, -80f, 87f, -87f, 88.5f, -88.5f, 1000f, -1000f, float.MaxValue, float.MinValue]);
        var x = xs.ToArray();
        var s = new float[x.Length];
        var silu = new float[x.Length];
        FastSigmoid.Run(x, s, silu);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = 1 / (1 + Math.Exp(-(double)x[i]));
            double ulp = Math.Max(Math.Abs(MathF.BitIncrement((float)exact) - (float)exact), float.Epsilon);
            if (exact > 1e-37) Assert.True(Math.Abs(s[i] - exact) <= 4 * ulp, $"σ({x[i]}) = {s[i]}, exact {exact}");
            else Assert.True(s[i] >= 0 && s[i] < 1e-37, $"σ({x[i]}) = {s[i]}");
            Assert.Equal(x[i] * s[i], silu[i]);
        }
    }

    [Fact]
    public void NaN_propagates_and_infinities_saturate()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0, float.NaN, 1, 2, 3, 4, float.NaN];
        var s = new float[x.Length];
        FastSigmoid.Run(x, s, []);
        Assert.True(float.IsNaN(s[0]) && float.IsNaN(s[4]) && float.IsNaN(s[9]));
        Assert.Equal(1f, s[1]);
        Assert.Equal(0f, s[2]);
        Assert.Equal(0.5f, s[3]);
    }

    [Fact]
    public void Vector_and_scalar_paths_give_the_same_bits_at_every_length_and_offset()
    {
        var random = new System.Random(5);
        var all = new float[80];
        for (int i = 0; i < all.Length; i++) all[i] = (float)(random.NextDouble() * 40 - 20);
        var whole = new float[all.Length];
        FastSigmoid.Run(all, whole, []);
        for (int start = 0; start < 9; start++)
            for (int length = 0; start + length <= all.Length; length += 7)
            {
                var part = new float[length];
                FastSigmoid.Run(all.AsSpan(start, length), part, []);
                Assert.True(part.AsSpan().SequenceEqual(whole.AsSpan(start, length)), $"start {start}, length {length}");
            }
    }
}
