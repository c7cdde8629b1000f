using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Drift.Models.Finance;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>eˣ element-wise (vectorised, the same bits at every alignment; accuracy in <see cref="LaneKernels"/>).</summary>
    public static Tensor<T> Exp<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        // Not TensorPrimitives.Exp: its vector fallback for special lanes makes its bits depend on alignment (see Sin).
        LaneKernels.Exp<T>(x.Span, y.Span);
        if (Recording(x))
            Record(y, "exp", [x], static (n, y, g, gi) => gi[0] = Multiply(g, y));
        return y;
    }

    /// <summary>ln x element-wise (NaN for x &lt; 0, −∞ at 0).</summary>
    public static Tensor<T> Log<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var xs = x.Span; var ys = y.Span;
        for (int i = 0; i < xs.Length; i++) ys[i] = T.Log(xs[i]); // element by element, for the reason given at Exp

        if (Recording(x))
            Record(y, "log", [x], static (n, y, g, gi) => gi[0] = Divide(g, n.Inputs[0]));
        return y;
    }

    /// <summary>√x element-wise.</summary>
    public static Tensor<T> Sqrt<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Sqrt(x.Span, y.Span);
        if (Recording(x))
            Record(y, "sqrt", [x], static (n, y, g, gi) => gi[0] = Divide(Scale(g, Cast<T>(0.5)), y));
        return y;
    }

    /// <summary>xᵖ element-wise for a constant exponent p.</summary>
    public static Tensor<T> Pow<T>(Tensor<T> x, T p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Pow(x.Span, p, y.Span);
        if (Recording(x))
            Record(y, "pow", [x], static (n, y, g, gi) =>
            {
                var p = Cast<T>(n.Constant);
                gi[0] = Multiply(g, Scale(Pow(n.Inputs[0], p - T.One), p));
            }).Constant = double.CreateChecked(p);
        return y;
    }

    /// <summary>sin x element-wise.</summary>
    /// <remarks>Computed element by element with <c>T.Sin</c>: TensorPrimitives.Sin sends whole vectors to a scalar
    /// fallback when one lane is large, so which elements take which path (1 ulp apart) depends on the span's
    /// alignment, and results would differ from run to run.</remarks>
    public static Tensor<T> Sin<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var xs = x.Span; var ys = y.Span;
        for (int i = 0; i < xs.Length; i++) ys[i] = T.Sin(xs[i]);
        if (Recording(x))
            Record(y, "sin", [x], static (n, y, g, gi) => gi[0] = Multiply(g, Cos(n.Inputs[0])));
        return y;
    }

    /// <summary>cos x element-wise (element by element with <c>T.Cos</c>, for the reason given at <see cref="Sin{T}"/>).</summary>
    public static Tensor<T> Cos<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var xs = x.Span; var ys = y.Span;
        for (int i = 0; i < xs.Length; i++) ys[i] = T.Cos(xs[i]);
        if (Recording(x))
            Record(y, "cos", [x], static (n, y, g, gi) => gi[0] = Scale(Multiply(g, Sin(n.Inputs[0])), -T.One));
        return y;
    }

    /// <summary>tanh x element-wise (vectorised, the same bits at every alignment); d/dx = 1 − tanh²x.</summary>
    public static Tensor<T> Tanh<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        // Not TensorPrimitives.Tanh: it sends whole vectors to a scalar fallback when a lane is special,
        // so its last bit would depend on the span's alignment (see Sin).
        LaneKernels.Tanh<T>(x.Span, y.Span);
        if (Recording(x))
            Record(y, "tanh", [x], static (n, y, g, gi) =>
            {
                if (!GradMode.IsEnabled) { gi[0] = Fused.TanhBackward(g, y); return; }
                gi[0] = Multiply(g, AddScalar(Scale(Square(y), -T.One), T.One));
            });
        return y;
    }

    /// <summary>σ(x) = 1/(1 + e⁻ˣ) element-wise; d/dx = σ(1 − σ).</summary>
    public static Tensor<T> Sigmoid<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        SigmoidInto(x.Span, y.Span, []);
        if (Recording(x))
            Record(y, "sigmoid", [x], static (n, y, g, gi) =>
                gi[0] = Multiply(g, Multiply(y, AddScalar(Scale(y, -T.One), T.One))));
        return y;
    }

    /// <summary>softplus(x) = ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^{−|x|}) so it never overflows; d/dx = σ(x).</summary>
    public static Tensor<T> Softplus<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var X = x.Span; var Y = y.Span;
        for (int i = 0; i < X.Length; i++)
        {
            T v = X[i];
            Y[i] = T.Max(v, T.Zero) + LogOnePlus(T.Exp(-T.Abs(v)));
        }
        if (Recording(x))
            Record(y, "softplus", [x], static (n, y, g, gi) => gi[0] = Multiply(g, Sigmoid(n.Inputs[0])));
        return y;
    }

    /// <summary>ln(1 + z) for z ≥ 0 to full relative precision when z is small. <c>T.LogP1</c> is computed as
    /// log(1 + z) and returns 0 for z below ε (so softplus(−40) came out 0, not 4e-18); with u = 1 + z rounded,
    /// ln u · z/(u − 1) cancels the rounding of u (Goldberg, "What every computer scientist should know…", Thm 4).</summary>
    static T LogOnePlus<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + z;
        return u == T.One ? z : T.Log(u) * (z / (u - T.One));
    }

    /// <summary>ReLU(x) = max(x, 0) element-wise (NaN propagates); the derivative is taken as 0 at x = 0.</summary>
    public static Tensor<T> Relu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Max(x.Span, T.Zero, y.Span);
        if (Recording(x))
            Record(y, "relu", [x], static (n, y, g, gi) => gi[0] = Multiply(g, PositiveMask(n.Inputs[0])));
        return y;
    }

    /// <summary>max(x, lo) element-wise for a constant lo; the gradient passes where x &gt; lo.</summary>
    public static Tensor<T> ClampMin<T>(Tensor<T> x, T lo) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Max(x.Span, lo, y.Span);
        if (Recording(x))
            Record(y, "clamp-min", [x], static (n, y, g, gi) =>
                gi[0] = Multiply(g, PositiveMask(AddScalar(n.Inputs[0].Detach(), -Cast<T>(n.Constant))))).Constant = double.CreateChecked(lo);
        return y;
    }

    /// <summary>SiLU(x) = x·σ(x) (also called swish); d/dx = σ(x)·(1 + x(1 − σ(x))).</summary>
    public static Tensor<T> Silu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        if (!Recording(x))
        {
            SiluInto(x.Span, y.Span);
            return y;
        }
        var s = TensorArena<T>.Allocate(x.Shape, clear: false);
        SigmoidInto(x.Span, s.Span, y.Span);
        Record(y, "silu", [x], static (n, y, g, gi) =>
        {
            var x = n.Inputs[0];
            gi[0] = GradMode.IsEnabled ? SiluGradient(g, x) : Fused.SiluBackward(g, x, n.Saved!);
        }).Saved = s;
        return y;
    }

    /// <summary>silu = x·σ(x) without recording (the fast float kernel, or σ element by element then the product).</summary>
    static void SiluInto<T>(ReadOnlySpan<T> x, Span<T> silu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var yf = MemoryMarshal.Cast<T, float>(silu);
            FastSigmoid.Run(MemoryMarshal.Cast<T, float>(x), yf, yf);
            return;
        }
        SigmoidScalar<T>(x, silu);
        TensorPrimitives.Multiply(x, silu, silu);
    }

    /// <summary>g·silu′(x) = g·s·(1 + x(1 − s)), s = σ(x), from differentiable ops (for higher-order graphs).</summary>
    static Tensor<T> SiluGradient<T>(Tensor<T> g, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = Sigmoid(x);
        return Multiply(g, Add(s, Multiply(x, Multiply(s, AddScalar(Scale(s, -T.One), T.One)))));
    }

    /// <summary>s = σ(x) and, when <paramref name="silu"/> is not empty, silu = x·σ(x): the fast float kernel or TensorPrimitives for double.</summary>
    static void SigmoidInto<T>(ReadOnlySpan<T> x, Span<T> s, Span<T> silu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            FastSigmoid.Run(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(s), MemoryMarshal.Cast<T, float>(silu));
            return;
        }
        SigmoidScalar(x, s);
        if (!silu.IsEmpty) TensorPrimitives.Multiply(x, s, silu);
    }

    /// <summary>σ(x) element by element (1/(1 + e^{−x}) for x ≥ 0, e^x/(1 + e^x) below): TensorPrimitives.Sigmoid's
    /// result for an element depends on the other lanes of its vector (special-value fallback), hence on alignment.</summary>
    static void SigmoidScalar<T>(ReadOnlySpan<T> x, Span<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            if (v >= T.Zero) s[i] = T.One / (T.One + T.Exp(-v));
            else
            {
                T e = T.Exp(v);
                s[i] = e / (T.One + e);
            }
        }
    }

    /// <summary>erf x element-wise (double-precision evaluation, relative error below 1e-14); d/dx = (2/√π)e^{−x²}.</summary>
    public static Tensor<T> Erf<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var X = x.Span; var Y = y.Span;
        for (int i = 0; i < X.Length; i++) Y[i] = T.CreateChecked(ErfOf(double.CreateChecked(X[i])));
        if (Recording(x))
            Record(y, "erf", [x], static (n, y, g, gi) =>
                gi[0] = Multiply(g, Scale(Exp(Scale(Square(n.Inputs[0]), -T.One)), Cast<T>(2 / Math.Sqrt(Math.PI)))));
        return y;
    }

    /// <summary>GELU(x) = x·Φ(x) with Φ the standard normal distribution function (the exact form, PyTorch's default); d/dx = Φ(x) + x·φ(x).</summary>
    public static Tensor<T> Gelu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var X = x.Span; var Y = y.Span;
        for (int i = 0; i < X.Length; i++)
        {
            double v = double.CreateChecked(X[i]);
            Y[i] = T.CreateChecked(v * BlackScholes.NormalCdf(v));
        }
        if (Recording(x))
            Record(y, "gelu", [x], static (n, y, g, gi) =>
            {
                var x = n.Inputs[0];
                if (!GradMode.IsEnabled) { gi[0] = Fused.GeluBackward(g, x); return; }
                var phiCdf = AddScalar(Scale(Erf(Scale(x, Cast<T>(1 / Math.Sqrt(2)))), Cast<T>(0.5)), Cast<T>(0.5));
                var phi = Scale(Exp(Scale(Square(x), Cast<T>(-0.5))), Cast<T>(1 / Math.Sqrt(2 * Math.PI)));
                gi[0] = Multiply(g, Add(phiCdf, Multiply(x, phi)));
            });
        return y;
    }

    /// <summary>erf x: the Maclaurin series 2/√π Σ (−1)ⁿx^{2n+1}/(n!(2n+1)) for |x| &lt; ½ (so small arguments keep their
    /// relative accuracy), 1 − erfc x beyond.</summary>
    internal static double ErfOf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (Math.Abs(x) < 0.5)
        {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 30 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        return x > 0 ? 1 - BlackScholes.Erfc(x) : BlackScholes.Erfc(-x) - 1;
    }
}
