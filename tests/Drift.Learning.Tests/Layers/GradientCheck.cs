using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Layers;

/// <summary>
/// Central-difference checks of reverse-mode gradients in float64: for a fixed random weight w the
/// scalar L = ⟨w, f()⟩ is differentiated by <see cref="Autograd"/> and by (L(v + h) − L(v − h))/(2h)
/// element by element of every variable v (perturbed in place). The two share nothing but the
/// forward pass.
/// </summary>
/// <remarks>
/// The error of an element is |fd − ad| / max(1, |fd|, |ad|): relative for gradients above 1 and
/// absolute below, because the rounding error of a central difference is absolute, about
/// ε_mach·|L|/h ≈ 1e-10·|L| for h = 1e-6, and the truncation error h²·|L'''|/6 is below 1e-8 of the
/// gradient for every layer checked here. A tolerance of 1e-6 leaves two orders of margin and still
/// fails on any wrong rule (they are off by O(1)).
/// </remarks>
internal static class GradientCheck
{
    public const double H = 1e-6;
    public const double Tolerance = 1e-6;

    /// <summary>Random uniform (−scale, scale) values as a variable (a leaf that requires a gradient).</summary>
    public static Tensor<double> Variable(System.Random rng, double scale, params int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return Tensor<double>.Variable(values, shape);
    }

    /// <summary>Adds N(0, std²)-ish noise (a sum of uniforms) to every parameter, so zero-initialised weights become non-zero.</summary>
    public static void Perturb(IEnumerable<Tensor<double>> parameters, int seed, double std = 0.4)
    {
        var rng = new System.Random(seed);
        foreach (var p in parameters)
        {
            var s = p.Span;
            for (int i = 0; i < s.Length; i++)
                s[i] += std * (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * 2;
        }
    }

    /// <summary>Asserts that the autograd gradient of ⟨w, f()⟩ with respect to every variable matches central differences.</summary>
    /// <param name="f">Recomputes the output from the current values of the variables.</param>
    /// <param name="variables">Named leaves that require a gradient.</param>
    /// <param name="seed">Seed of w.</param>
    /// <param name="requireDependence">Fail when the loss does not depend on a variable (a vacuous check); off where zero gradients are the point.</param>
    public static void AssertGradients(Func<Tensor<double>> f, IReadOnlyList<(string Name, Tensor<double> Tensor)> variables, int seed = 12345,
        bool requireDependence = true)
    {
        Tensor<double> y;
        using (GradMode.EnableGrad()) y = f();
        var rng = new System.Random(seed);
        var w = new double[y.Length];
        for (int i = 0; i < w.Length; i++) w[i] = 2 * rng.NextDouble() - 1;
        Tensor<double>[] grads;
        using (GradMode.EnableGrad())
        {
            var loss = Ops.Sum(Ops.Multiply(y, Tensor<double>.Wrap(w, y.Shape)));
            grads = Autograd.Grad(loss, [.. variables.Select(v => v.Tensor)]);
        }

        double worst = 0;
        string worstAt = "";
        for (int v = 0; v < variables.Count; v++)
        {
            var (name, tensor) = variables[v];
            Assert.True(tensor.SameShape(grads[v]), $"{name}: gradient shape differs");
            var g = grads[v].ToArray();
            double fdNorm = 0;
            for (int k = 0; k < tensor.Length; k++)
            {
                double saved = tensor.Span[k];
                double up = saved + H, down = saved - H;
                tensor.Span[k] = up;
                double lUp = Loss(f, w);
                tensor.Span[k] = down;
                double lDown = Loss(f, w);
                tensor.Span[k] = saved;
                double fd = (lUp - lDown) / (up - down);
                fdNorm = Math.Max(fdNorm, Math.Abs(fd));
                double error = Math.Abs(fd - g[k]) / Math.Max(1, Math.Max(Math.Abs(fd), Math.Abs(g[k])));
                if (!(error <= worst))
                {
                    worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                    worstAt = $"{name}[{k}]: autograd {g[k]:R}, central difference {fd:R}";
                }
            }
            // A variable the loss does not depend on would make its check vacuous.
            if (requireDependence) Assert.True(fdNorm > 1e-4, $"{name}: the loss barely depends on it (max |∂L/∂v| = {fdNorm:G3}); the check would prove nothing");
        }
        Assert.True(worst < Tolerance, $"worst error {worst:G3} at {worstAt}");
    }

    static double Loss(Func<Tensor<double>> f, double[] w)
    {
        using var off = GradMode.NoGrad();
        var y = f().Span;
        double sum = 0;
        for (int i = 0; i < w.Length; i++) sum += w[i] * y[i];
        return sum;
    }
}
