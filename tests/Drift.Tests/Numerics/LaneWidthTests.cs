using System.Runtime.Intrinsics;
using Drift.Numerics;
using Drift.Random;

namespace Drift.Tests.Numerics;

/// <summary>
/// Every lane type instantiated explicitly — AVX-512, AVX2, 128-bit (SSE2/AdvSimd) and scalar — and compared bit for
/// bit with the one-lane instance on the same inputs: an element-wise polynomial, the exponential, and the Philox
/// normal kernel. The dispatchers pick one width per machine; this test reaches all widths the machine accelerates
/// (Vector512/256/128 types also run in software where not accelerated, which still checks the code, so all four
/// always run).
/// </summary>
public class LaneWidthTests
{
    private static double[] Inputs(int seed, int n)
    {
        var rng = new System.Random(seed);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, 1e308, -700, 710];
        return Enumerable.Range(0, n).Select(_ => rng.Next(6) == 0 ? specials[rng.Next(specials.Length)] : rng.NextDouble() * 40 - 20).ToArray();
    }

    /// <summary>Runs the polynomial and the exponential at width TL over whole registers.</summary>
    private static (double[] Poly, double[] Exp) Run<TL, TU, TD>(double[][] x)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        int n = x[0].Length, w = TL.Count;
        var poly = new double[n];
        var exp = new double[n];
        for (int i = 0; i + w <= n; i += w)
        {
            TD a = TL.Load(ref x[0][i]), b = TL.Load(ref x[1][i]), c = TL.Load(ref x[2][i]), d = TL.Load(ref x[3][i]);
            TL.Store(default(ElementwiseTests.Polynomial).Apply<TL, TU, TD>(a, b, c, d), ref poly[i]);
            TL.Store(LaneMath<TL, TU, TD>.Exp(a), ref exp[i]);
        }
        return (poly, exp);
    }

    private static (double[] Z0, double[] Z1) Normals<TL, TU, TD>(ulong seed, int n)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        var keys = NormalKernel<TL, TU, TD>.RoundKeys.Create(seed);
        var z0 = new double[n];
        var z1 = new double[n];
        for (int i = 0; i + TL.Count <= n; i += TL.Count)
        {
            NormalKernel<TL, TU, TD>.Normals(in keys, TL.Sequence((ulong)i), TL.Broadcast(5UL), out TD a, out TD b);
            TL.Store(a, ref z0[i]);
            TL.Store(b, ref z1[i]);
        }
        return (z0, z1);
    }

    private static void AssertBits(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}]: {expected[i]:R} (one lane) vs {actual[i]:R}");
    }

    [Fact]
    public void Every_lane_width_gives_the_scalar_bits()
    {
        const int n = 64;
        var x = Enumerable.Range(0, 4).Select(k => Inputs(10 + k, n)).ToArray();
        var scalar = Run<Lanes1, ulong, double>(x);
        var normals = Normals<Lanes1, ulong, double>(42, n);
        var widths = new (string Name, (double[] Poly, double[] Exp) Map, (double[] Z0, double[] Z1) Z)[]
        {
            ("Lanes128", Run<Lanes128, Vector128<ulong>, Vector128<double>>(x), Normals<Lanes128, Vector128<ulong>, Vector128<double>>(42, n)),
            ("Lanes256", Run<Lanes256, Vector256<ulong>, Vector256<double>>(x), Normals<Lanes256, Vector256<ulong>, Vector256<double>>(42, n)),
            ("Lanes512", Run<Lanes512, Vector512<ulong>, Vector512<double>>(x), Normals<Lanes512, Vector512<ulong>, Vector512<double>>(42, n)),
        };
        foreach (var (name, map, z) in widths)
        {
            AssertBits(scalar.Poly, map.Poly, name + " polynomial");
            AssertBits(scalar.Exp, map.Exp, name + " exp");
            AssertBits(normals.Z0, z.Z0, name + " z0");
            AssertBits(normals.Z1, z.Z1, name + " z1");
        }
    }

    [Fact]
    public void The_128_bit_lanes_are_accelerated_on_x64_and_arm64()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64
            && Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") != "0")
            Assert.True(Lanes128.IsSupported);
        Assert.Equal(2, Lanes128.Count);
    }

    [Fact]
    public void Compare_and_select_follow_IEEE_ordering_at_every_width()
    {
        double[] a = [1, double.NaN, -0.0, 3, double.NegativeInfinity, 2, 5, double.NaN];
        double[] b = [2, 1, 0.0, 3, 0, double.NaN, 4, double.NaN];
        var expected = a.Select((v, i) => v < b[i] ? 10.0 : 20.0).ToArray();
        AssertBits(expected, Select<Lanes1, ulong, double>(a, b), "Lanes1");
        AssertBits(expected, Select<Lanes128, Vector128<ulong>, Vector128<double>>(a, b), "Lanes128");
        AssertBits(expected, Select<Lanes256, Vector256<ulong>, Vector256<double>>(a, b), "Lanes256");
        AssertBits(expected, Select<Lanes512, Vector512<ulong>, Vector512<double>>(a, b), "Lanes512");
    }

    private static double[] Select<TL, TU, TD>(double[] a, double[] b)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        var r = new double[a.Length];
        for (int i = 0; i + TL.Count <= a.Length; i += TL.Count)
            TL.Store(TL.Select(TL.LessThan(TL.Load(ref a[i]), TL.Load(ref b[i])), TL.Broadcast(10.0), TL.Broadcast(20.0)), ref r[i]);
        return r;
    }
}
