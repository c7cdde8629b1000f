using System.Globalization;
using System.Text;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// Finite-difference checks of reverse-mode gradients (first order) and Hessian–vector products
/// (second order, through <c>createGraph: true</c>), in float64.
/// </summary>
/// <remarks>
/// <para><b>Scalarisation.</b> An operation y = op(x₁, …, x_k) of any shape is turned into the scalar
/// f = ⟨w, y⟩ with w a fixed random tensor of y's shape (uniform in [−1, 1], never near zero), so every
/// output element contributes to the gradient checked; a wrong rule for any single element shows.</para>
/// <para><b>Central differences.</b> ∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / ((x_j + h) − (x_j − h)), dividing by
/// the step actually taken in floating point. h = 1e-6·max(1, |x_j|): truncation error is h²|f'''|/6 ≈ 2e-13
/// for the O(1) third derivatives of these tests, rounding error ≈ ε·Σ|terms of f|/h ≈ 1e-10. Tests on inputs of
/// large magnitude (values near 1000) pass the step that balances the two for that magnitude, and say so.</para>
/// <para><b>Criterion</b> (numpy's allclose form): |g_AD − g_FD| ≤ 1e-6·|g_FD| + 1e-9. Where |g| is not tiny
/// this is a relative error below 1e-6; near zero the 1e-9 floor sits an order above the rounding error of
/// the differences, so a tiny gradient is only required to be tiny. Both errors above are at least three
/// orders below the tolerance, so a wrong rule (an error of order |g|) cannot pass while a right one
/// cannot fail.</para>
/// </remarks>
internal static class GradCheck
{
    public const double RelativeStep = 1e-6;
    public const double RelativeTolerance = 1e-6;
    public const double AbsoluteFloor = 1e-9;

    /// <summary>A constant tensor with entries uniform in [lo, hi).</summary>
    public static Tensor<double> Uniform(Random rng, double lo, double hi, params int[] shape)
    {
        var t = Tensor<double>.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * rng.NextDouble();
        return t;
    }

    /// <summary>A variable with entries uniform in [lo, hi).</summary>
    public static Tensor<double> Variable(Random rng, double lo, double hi, params int[] shape)
        => Tensor<double>.Variable(Uniform(rng, lo, hi, shape).Span, shape);

    /// <summary>A projection vector: entries of magnitude in [0.5, 1) with random signs, so no output element is nearly ignored.</summary>
    public static Tensor<double> Projection(Random rng, ReadOnlySpan<int> shape)
    {
        var t = Tensor<double>.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (rng.Next(2) == 0 ? -1 : 1) * (0.5 + 0.5 * rng.NextDouble());
        return t;
    }

    static double Dot(Tensor<double> w, Tensor<double> y)
    {
        var W = w.Span; var Y = y.Span;
        double s = 0;
        for (int i = 0; i < W.Length; i++) s += W[i] * Y[i];
        return s;
    }

    static double Evaluate(Func<Tensor<double>[], Tensor<double>> op, Tensor<double>[] inputs, Tensor<double> w)
    {
        using var off = GradMode.NoGrad();
        var y = op(inputs);
        Assert.True(y.Shape.SequenceEqual(w.Shape), $"op changed its output shape to {y} between evaluations");
        return Dot(w, y);
    }

    /// <summary>
    /// Checks the reverse-mode gradient of ⟨w, op(inputs)⟩ with respect to every element of every input
    /// (inputs must be variables) against central differences. Returns the largest error relative to the tolerance.
    /// </summary>
    public static double Check(Func<Tensor<double>[], Tensor<double>> op, Tensor<double>[] inputs, int seed = 12345, double relativeStep = RelativeStep)
    {
        var rng = new Random(seed);
        var y = op(inputs);
        Assert.True(y.RequiresGrad, "the op's output does not require a gradient");
        var w = Projection(rng, y.Shape);
        foreach (var v in y.Span) Assert.True(double.IsFinite(v), $"op produced a non-finite value {v}");
        var f = Ops.Sum(Ops.Multiply(w, y));
        var grads = Autograd.Grad(f, inputs);

        var failures = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.True(grads[i].Shape.SequenceEqual(inputs[i].Shape), $"gradient {grads[i]} has not the shape of input {i} {inputs[i]}");
            var x = inputs[i].Span;
            var g = grads[i].Span;
            for (int j = 0; j < x.Length; j++)
            {
                double x0 = x[j];
                double h = relativeStep * Math.Max(1, Math.Abs(x0));
                double xp = x0 + h, xm = x0 - h;
                x[j] = xp;
                double fp = Evaluate(op, inputs, w);
                x[j] = xm;
                double fm = Evaluate(op, inputs, w);
                x[j] = x0;
                double fd = (fp - fm) / (xp - xm);
                double error = Math.Abs(g[j] - fd);
                double allowed = RelativeTolerance * Math.Abs(fd) + AbsoluteFloor;
                worst = Math.Max(worst, error / allowed);
                if (!(error <= allowed))
                    failures.AppendLine(CultureInfo.InvariantCulture, $"input {i} {inputs[i]} element {j}: AD {g[j]:R}, FD {fd:R}, |diff| {error:E2} > {allowed:E2}");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        return worst;
    }

    /// <summary>Single-input convenience form of <see cref="Check(Func{Tensor{double}[], Tensor{double}}, Tensor{double}[], int, double)"/>.</summary>
    public static double Check(Func<Tensor<double>, Tensor<double>> op, Tensor<double> input, int seed = 12345, double relativeStep = RelativeStep)
        => Check(xs => op(xs[0]), [input], seed, relativeStep);

    /// <summary>
    /// Checks Hessian–vector products of f = ⟨w₁, y⟩ + ½⟨w₂, y²⟩, y = op(inputs): the reverse-mode gradient
    /// (recorded with createGraph) of ⟨v, ∇f⟩ with respect to the inputs, against central differences of ∇f
    /// along v, (∇f(x + hv) − ∇f(x − hv)) / 2h, with ∇f from plain first-order backward passes.
    /// </summary>
    /// <remarks>
    /// The ½⟨w₂, y²⟩ term makes the cotangent that reaches op depend on x (w₁ + w₂∘y), so the check
    /// also covers each backward rule differentiated through its incoming gradient, which double-VJP
    /// (Jvp) and losses of derivatives (PINNs) rely on; with ⟨w, y⟩ alone that cotangent is a constant.
    /// h = 1e-6 and v with entries of magnitude below 1: truncation h²‖∇⁴f‖ is below 1e-12, rounding ε‖∇f‖/h
    /// about 1e-10, and the criterion is the same as for first order.
    /// </remarks>
    public static double CheckHessianVector(Func<Tensor<double>[], Tensor<double>> op, Tensor<double>[] inputs, int seed = 54321, double h = 1e-6)
    {
        var rng = new Random(seed);
        var y = op(inputs);
        var w1 = Projection(rng, y.Shape);
        var w2 = Projection(rng, y.Shape);
        Tensor<double> F(Tensor<double>[] xs)
        {
            var yy = op(xs);
            return Ops.Add(Ops.Sum(Ops.Multiply(w1, yy)), Ops.Scale(Ops.Sum(Ops.Multiply(w2, Ops.Square(yy))), 0.5));
        }
        var v = new Tensor<double>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) v[i] = Uniform(rng, -1, 1, inputs[i].Shape.ToArray());

        // AD: ∇_x ⟨v, ∇f(x)⟩ with the first gradient recorded.
        var grads = Autograd.Grad(F(inputs), inputs, createGraph: true);
        Tensor<double>? inner = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!grads[i].RequiresGrad) continue; // f is linear in this input's gradient: its term has no derivative
            var term = Ops.Sum(Ops.Multiply(grads[i], v[i]));
            inner = inner is null ? term : Ops.Add(inner, term);
        }
        Assert.NotNull(inner);
        var hv = Autograd.Grad(inner!, inputs);

        // FD: central differences of the first-order gradient along v.
        var saved = inputs.Select(t => t.ToArray()).ToArray();
        Tensor<double>[] GradientAt(double s)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                var x = inputs[i].Span;
                for (int j = 0; j < x.Length; j++) x[j] = saved[i][j] + s * v[i].Span[j];
            }
            var g = Autograd.Grad(F(inputs), inputs);
            return g.Select(t => t.Clone()).ToArray();
        }
        var gp = GradientAt(h);
        var gm = GradientAt(-h);
        for (int i = 0; i < inputs.Length; i++) saved[i].CopyTo(inputs[i].Span);

        var failures = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.True(hv[i].Shape.SequenceEqual(inputs[i].Shape));
            for (int j = 0; j < inputs[i].Length; j++)
            {
                double fd = (gp[i].Span[j] - gm[i].Span[j]) / (2 * h);
                double ad = hv[i].Span[j];
                double error = Math.Abs(ad - fd);
                double allowed = RelativeTolerance * Math.Abs(fd) + AbsoluteFloor;
                worst = Math.Max(worst, error / allowed);
                if (!(error <= allowed))
                    failures.AppendLine(CultureInfo.InvariantCulture, $"input {i} {inputs[i]} element {j}: AD Hv {ad:R}, FD Hv {fd:R}, |diff| {error:E2} > {allowed:E2}");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        return worst;
    }

    /// <summary>Single-input convenience form of <see cref="CheckHessianVector(Func{Tensor{double}[], Tensor{double}}, Tensor{double}[], int, double)"/>.</summary>
    public static double CheckHessianVector(Func<Tensor<double>, Tensor<double>> op, Tensor<double> input, int seed = 54321, double h = 1e-6)
        => CheckHessianVector(xs => op(xs[0]), [input], seed, h);
}
