using Drift.Numerics;
using Drift.Random;

namespace Drift.Tests.Numerics;

public class ElementwiseTests
{
    /// <summary>a·b + (c − d)/√(d² + 1): every lane operation at once (also used by <see cref="LaneWidthTests"/>).</summary>
    internal readonly struct Polynomial : IElementwise4
    {
        public TD Apply<TL, TU, TD>(TD a, TD b, TD c, TD d) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.MultiplyAdd(a, b, TL.Divide(TL.Subtract(c, d), TL.Sqrt(TL.Add(TL.Multiply(d, d), TL.Broadcast(1.0)))));
    }

    private static double PolynomialOracle(double a, double b, double c, double d) => Math.FusedMultiplyAdd(a, b, (c - d) / Math.Sqrt(d * d + 1.0));

    [Fact]
    public void Vector_map_equals_the_scalar_oracle_bit_for_bit_at_every_length_0_to_256_with_specials()
    {
        var rng = new System.Random(3);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, 1e308];
        for (int n = 0; n <= 256; n++)
        {
            var inputs = new double[4][];
            for (int k = 0; k < 4; k++)
            {
                inputs[k] = new double[n];
                for (int i = 0; i < n; i++)
                    inputs[k][i] = rng.Next(8) == 0 ? specials[rng.Next(specials.Length)] : rng.NextDouble() * 20 - 10;
            }
            var output = new double[n];
            Elementwise.Map(default(Polynomial), inputs[0], inputs[1], inputs[2], inputs[3], output);
            for (int i = 0; i < n; i++)
            {
                double expected = PolynomialOracle(inputs[0][i], inputs[1][i], inputs[2][i], inputs[3][i]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(output[i]));
            }
        }
    }

    [Fact]
    public void AllFinite_finds_a_single_bad_value_at_every_position_of_every_length()
    {
        for (int n = 0; n <= 70; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            Assert.True(Elementwise.AllFinite(x));
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                for (int i = 0; i < n; i++)
                {
                    double keep = x[i];
                    x[i] = bad;
                    Assert.False(Elementwise.AllFinite(x));
                    x[i] = keep;
                }
        }
    }

    /// <summary>e^a through the one-input map: the core's LaneMath.Exp.</summary>
    readonly struct ExpOp : IElementwise1
    {
        public TD Apply<TL, TU, TD>(TD a) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct => LaneMath<TL, TU, TD>.Exp(a);
    }

    [Fact]
    public void One_input_map_equals_the_scalar_lane_at_every_length_in_place_or_not_and_refuses_partial_overlap()
    {
        var rng = new System.Random(6);
        for (int n = 0; n <= 40; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 60 - 30).ToArray();
            var y = new double[n];
            Elementwise.Map(default(ExpOp), x, y);
            for (int i = 0; i < n; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(LaneMath<Lanes1, ulong, double>.Exp(x[i])), BitConverter.DoubleToInt64Bits(y[i]));
            Elementwise.Map(default(ExpOp), x, x);
            Assert.Equal(y, x);
        }
        var buffer = new double[40];
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Elementwise.Map(default(ExpOp), buffer.AsSpan(1, 32), buffer.AsSpan(0, 32))).ParamName);
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(ExpOp), new double[3], new double[4]));
    }

    [Fact]
    public void Short_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(Polynomial), new double[3], new double[4], new double[4], new double[4], new double[4]));
    }

    [Fact]
    public void The_vector_width_follows_the_instruction_sets_the_runtime_allows()
    {
        int width = PhiloxNormals.VectorWidth;
        Assert.Contains(width, new[] { 1, 2, 4, 8 });
        // .NET 10 reads DOTNET_EnableAVX512 (the older DOTNET_EnableAVX512F knob is ignored).
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0") Assert.True(width <= 4);
        // Without AVX2 the 128-bit lanes (SSE2) remain; only with all intrinsics off is the code scalar.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0") Assert.True(width <= 2);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0") Assert.Equal(1, width);
    }

    [Fact]
    public void The_output_may_be_exactly_an_input_and_then_equals_the_out_of_place_result()
    {
        var rng = new System.Random(4);
        var x = new double[4][];
        for (int k = 0; k < 4; k++) x[k] = Enumerable.Range(0, 37).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var separate = new double[37];
        Elementwise.Map(default(Polynomial), x[0], x[1], x[2], x[3], separate);
        var inPlace = (double[])x[2].Clone();
        Elementwise.Map(default(Polynomial), x[0], x[1], inPlace, x[3], inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Fact]
    public void An_input_that_partially_overlaps_the_output_is_refused_naming_it()
    {
        var buffer = new double[64];
        var other = new double[32];
        foreach (int shift in new[] { 1, 3, 8, -1, -5 })
        {
            int start = 16 + shift;
            var e = Assert.Throws<ArgumentException>(() =>
                Elementwise.Map(default(Polynomial), other, buffer.AsSpan(start, 32), other, other, buffer.AsSpan(16, 32)));
            Assert.Equal("b", e.ParamName);
            Assert.Contains("partially overlaps", e.Message);
        }
        // Adjacent, non-overlapping ranges of one buffer are fine.
        Elementwise.Map(default(Polynomial), other, buffer.AsSpan(0, 16), other, other, buffer.AsSpan(16, 16));
    }
}
