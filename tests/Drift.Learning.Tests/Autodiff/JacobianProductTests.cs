using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Jacobian–vector products, full Jacobians from vector–Jacobian products, and exact and Hutchinson divergences.</summary>
public class JacobianProductTests
{
    const int N = 4, D = 3;

    /// <summary>A row-wise map [n, d] → [n, d] with a dense, non-symmetric Jacobian per row.</summary>
    sealed class Field
    {
        readonly Tensor<double> w1, b1, w2;

        public Field(int seed)
        {
            var rng = new Random(seed);
            w1 = GradCheck.Uniform(rng, -1, 1, 8, D);
            b1 = GradCheck.Uniform(rng, -0.5, 0.5, 8);
            w2 = GradCheck.Uniform(rng, -1, 1, D, 8);
        }

        public Tensor<double> F(Tensor<double> x)
            => Ops.Add(Ops.Linear(Ops.Tanh(Ops.Linear(x, w1, b1)), w2), Ops.Multiply(Ops.Sin(x), x));
    }

    static Tensor<double> Point(int seed, int n = N, int d = D) => GradCheck.Uniform(new Random(seed), -1, 1, n, d);

    /// <summary>J[o, i] = ∂f_o/∂x_i (flat indices) by one vector–Jacobian product per output element.</summary>
    static double[,] JacobianFromVjps(Func<Tensor<double>, Tensor<double>> f, Tensor<double> x)
    {
        int m = f(x.Detach()).Length;
        var j = new double[m, x.Length];
        for (int o = 0; o < m; o++)
        {
            var y = f(x.Detach());
            var u = Tensor<double>.Zeros(y.Shape);
            u.Span[o] = 1;
            var (_, row) = Autograd.Vjp(f, x, u);
            for (int i = 0; i < x.Length; i++) j[o, i] = row[i];
        }
        return j;
    }

    static Tensor<double> Evaluate(Func<Tensor<double>, Tensor<double>> f, Tensor<double> x)
    {
        using var off = GradMode.NoGrad();
        return f(x);
    }

    [Fact]
    public void Jvp_matches_the_finite_difference_directional_derivative_and_the_Vjp_Jacobian()
    {
        var field = new Field(1);
        var x = Point(2);
        var v = Point(3);
        var (value, jv) = Autograd.Jvp(field.F, x, v);
        Assert.Equal(Evaluate(field.F, x).ToArray(), value.ToArray());
        Assert.Equal(x.Shape.ToArray(), jv.Shape.ToArray());

        // Directional central difference, h = 1e-6 (same error budget as GradCheck).
        const double h = 1e-6;
        var xp = Tensor<double>.FromSpan(x.Span, N, D); var xm = Tensor<double>.FromSpan(x.Span, N, D);
        for (int i = 0; i < x.Length; i++) { xp.Span[i] += h * v[i]; xm.Span[i] -= h * v[i]; }
        var fp = Evaluate(field.F, xp); var fm = Evaluate(field.F, xm);
        for (int o = 0; o < jv.Length; o++)
        {
            double fd = (fp[o] - fm[o]) / (2 * h);
            Assert.True(Math.Abs(jv[o] - fd) <= 1e-6 * Math.Abs(fd) + 1e-9, $"element {o}: Jvp {jv[o]:R}, FD {fd:R}");
        }

        // J·v with J assembled from unit-vector Vjps: the same exact derivative by two routes, so rounding only.
        var j = JacobianFromVjps(field.F, x);
        for (int o = 0; o < jv.Length; o++)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += j[o, i] * v[i];
            Assert.Equal(s, jv[o], 1e-13);
        }
    }

    [Fact]
    public void Jvp_of_a_map_that_changes_shape_matches_the_Vjp_Jacobian()
    {
        var rng = new Random(4);
        var a = GradCheck.Uniform(rng, -1, 1, 3, 5);
        Func<Tensor<double>, Tensor<double>> f = x => Ops.LogSumExp(Ops.MatMul(Ops.Tanh(x), a), 0);
        var x = Point(5, 2, 3);
        var v = Point(6, 2, 3);
        var (value, jv) = Autograd.Jvp(f, x, v);
        Assert.Equal([5], value.Shape.ToArray());
        Assert.Equal([5], jv.Shape.ToArray());
        var j = JacobianFromVjps(f, x);
        for (int o = 0; o < 5; o++)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += j[o, i] * v[i];
            Assert.Equal(s, jv[o], 1e-13);
        }
    }

    [Fact]
    public void Jvp_with_createGraph_is_itself_differentiable()
    {
        // d/dx ⟨1, J(x)·v⟩ for f = sin elementwise is ∂/∂x Σ cos(x)·v = −sin(x)·v.
        var x = Tensor<double>.Variable([0.3, -1.2, 2.0], 3);
        var v = Tensor<double>.FromSpan([1.5, -0.5, 2.0], 3);
        var (_, jv) = Autograd.Jvp(Ops.Sin, x, v, createGraph: true);
        var g = Autograd.Grad(Ops.Sum(jv), x);
        for (int i = 0; i < 3; i++) Assert.Equal(-Math.Sin(x[i]) * v[i], g[i], 1e-15);
    }

    [Fact]
    public void Exact_divergence_equals_the_trace_of_the_finite_difference_Jacobian_of_each_row()
    {
        var field = new Field(7);
        var x = Point(8);
        var div = Autograd.Divergence(field.F, x);
        Assert.Equal([N], div.Shape.ToArray());
        const double h = 1e-6;
        for (int r = 0; r < N; r++)
        {
            double trace = 0, scale = 0;
            for (int i = 0; i < D; i++)
            {
                var xp = x.Clone(); var xm = x.Clone();
                xp.Span[r * D + i] += h; xm.Span[r * D + i] -= h;
                double d = (Evaluate(field.F, xp)[r * D + i] - Evaluate(field.F, xm)[r * D + i]) / (2 * h);
                trace += d; scale += Math.Abs(d);
            }
            Assert.True(Math.Abs(div[r] - trace) <= 1e-6 * scale + 1e-9, $"row {r}: divergence {div[r]:R}, FD trace {trace:R}");
        }
    }

    [Fact]
    public void A_single_Hutchinson_probe_gives_exactly_its_quadratic_form()
    {
        var field = new Field(9);
        var x = Point(10);
        var j = JacobianFromVjps(field.F, x);
        var rng = new Random(11);
        for (int trial = 0; trial < 3; trial++)
        {
            var eps = Rademacher(rng);
            var estimate = Autograd.HutchinsonDivergence(field.F, x, [eps]);
            for (int r = 0; r < N; r++)
            {
                double q = 0;
                for (int a = 0; a < D; a++)
                    for (int b = 0; b < D; b++)
                        q += eps[r * D + a] * j[r * D + a, r * D + b] * eps[r * D + b];
                Assert.Equal(q, estimate[r], 1e-13);
            }
        }
    }

    static Tensor<double> Rademacher(Random rng)
    {
        var e = Tensor<double>.Zeros(N, D);
        for (int i = 0; i < e.Length; i++) e.Span[i] = rng.Next(2) == 0 ? -1 : 1;
        return e;
    }

    [Fact]
    public void Hutchinson_divergence_with_many_Rademacher_probes_is_within_five_standard_errors_of_the_exact_divergence()
    {
        const int probes = 400;
        var field = new Field(12);
        var x = Point(13);
        var exact = Autograd.Divergence(field.F, x);
        var rng = new Random(14);
        var list = new List<Tensor<double>>();
        var samples = new double[N, probes];
        for (int k = 0; k < probes; k++)
        {
            var eps = Rademacher(rng);
            list.Add(eps);
            var one = Autograd.HutchinsonDivergence(field.F, x, [eps]);
            for (int r = 0; r < N; r++) samples[r, k] = one[r];
        }
        var estimate = Autograd.HutchinsonDivergence(field.F, x, list);
        for (int r = 0; r < N; r++)
        {
            double mean = 0;
            for (int k = 0; k < probes; k++) mean += samples[r, k];
            mean /= probes;
            double variance = 0;
            for (int k = 0; k < probes; k++) variance += (samples[r, k] - mean) * (samples[r, k] - mean);
            double se = Math.Sqrt(variance / (probes - 1) / probes);
            // The estimator over all probes is the mean of the single-probe samples.
            Assert.Equal(mean, estimate[r], 1e-12);
            // Off-diagonal Jacobian entries are nonzero, so the estimate is genuinely random here.
            Assert.True(se > 1e-3, $"row {r}: standard error {se} — the test would be vacuous");
            Assert.True(Math.Abs(estimate[r] - exact[r]) <= 5 * se, $"row {r}: Hutchinson {estimate[r]:R}, exact {exact[r]:R}, SE {se:E3}");
        }
    }
}
