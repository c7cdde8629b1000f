using Drift.Numerics;

namespace Drift.Solve;

/// <summary>a + c·b.</summary>
internal readonly struct AddScaled(double c) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD a, TD b) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(b, TL.Broadcast(c), a);
}

/// <summary>a + b·w.</summary>
internal readonly struct AddProduct : IElementwise3
{
    public TD Apply<TL, TU, TD>(TD a, TD b, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(b, w, a);
}

/// <summary>a + c·(b·w).</summary>
internal readonly struct AddScaledProduct(double c) : IElementwise3
{
    public TD Apply<TL, TU, TD>(TD a, TD b, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(TL.Multiply(b, w), TL.Broadcast(c), a);
}

/// <summary>x + h·k + g·w: one Euler–Maruyama update, fused.</summary>
internal readonly struct EulerNoise(double h) : IElementwise4
{
    public TD Apply<TL, TU, TD>(TD x, TD k, TD g, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(g, w, TL.MultiplyAdd(k, TL.Broadcast(h), x));
}

/// <summary>a + c·δ·(w² − s): the derivative-free Milstein correction for a difference δ of g.</summary>
internal readonly struct MilsteinCorrection(double c, double s) : IElementwise3
{
    public TD Apply<TL, TU, TD>(TD a, TD delta, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(TL.Multiply(delta, TL.MultiplyAdd(w, w, TL.Broadcast(-s))), TL.Broadcast(c), a);
}

/// <summary>c₁·a + c₂·b + c₃·e + c₄·w (a linear combination of four rows).</summary>
internal readonly struct Combine4(double c1, double c2, double c3, double c4) : IElementwise4
{
    public TD Apply<TL, TU, TD>(TD a, TD b, TD e, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(w, TL.Broadcast(c4), TL.MultiplyAdd(e, TL.Broadcast(c3), TL.MultiplyAdd(b, TL.Broadcast(c2), TL.Multiply(a, TL.Broadcast(c1)))));
}

/// <summary>c₁·a + c₂·b.</summary>
internal readonly struct Combine2(double c1, double c2) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD a, TD b) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(b, TL.Broadcast(c2), TL.Multiply(a, TL.Broadcast(c1)));
}

/// <summary>Row-level updates shared by the solvers.</summary>
internal static class Rows
{
    /// <summary>y = x + c·k over the whole batch.</summary>
    public static void AddScaled(ReadOnlySpan<double> x, ReadOnlySpan<double> k, double c, Span<double> y)
        => Elementwise.Map(new AddScaled(c), x, k, y);

    /// <summary>y += c·g·dW, with g laid out for <paramref name="kind"/> (d rows or d·m rows).</summary>
    public static void AddNoise(NoiseKind kind, int d, int m, ReadOnlySpan<double> g, ReadOnlySpan<double> dW, double c, Span<double> y, int paths)
    {
        for (int i = 0; i < d; i++)
        {
            var yi = y.Slice(i * paths, paths);
            switch (kind)
            {
                case NoiseKind.Scalar:
                    AddRow(yi, g.Slice(i * paths, paths), dW[..paths], c);
                    break;
                case NoiseKind.Diagonal:
                    AddRow(yi, g.Slice(i * paths, paths), dW.Slice(i * paths, paths), c);
                    break;
                default:
                    for (int j = 0; j < m; j++)
                        AddRow(yi, g.Slice((i * m + j) * paths, paths), dW.Slice(j * paths, paths), c);
                    break;
            }
        }
    }

    private static void AddRow(Span<double> y, ReadOnlySpan<double> g, ReadOnlySpan<double> w, double c)
    {
        if (c == 1.0) Elementwise.Map(default(AddProduct), y, g, w, y);
        else Elementwise.Map(new AddScaledProduct(c), y, g, w, y);
    }

    /// <summary>y = x + h·k + g·dW (Euler–Maruyama), fused for scalar and diagonal noise.</summary>
    public static void EulerStep(NoiseKind kind, int d, int m, ReadOnlySpan<double> x, ReadOnlySpan<double> k, double h,
        ReadOnlySpan<double> g, ReadOnlySpan<double> dW, Span<double> y, int paths)
    {
        if (kind is NoiseKind.Scalar or NoiseKind.Diagonal)
        {
            for (int i = 0; i < d; i++)
            {
                var w = kind == NoiseKind.Scalar ? dW[..paths] : dW.Slice(i * paths, paths);
                Elementwise.Map(new EulerNoise(h), x.Slice(i * paths, paths), k.Slice(i * paths, paths), g.Slice(i * paths, paths), w, y.Slice(i * paths, paths));
            }
            return;
        }
        AddScaled(x, k, h, y);
        AddNoise(kind, d, m, g, dW, 1.0, y, paths);
    }
}
