using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// The higher-order claim end to end: the weights' gradient of a physics-informed loss built from
/// input derivatives of a network (u_t, u_xx through nested createGraph gradients) is correct.
/// </summary>
public class PinnLossGradientTests
{
    const int Points = 8, Hidden = 16;

    sealed record Mlp(Tensor<double> W1, Tensor<double> B1, Tensor<double> W2, Tensor<double> B2, Tensor<double> W3, Tensor<double> B3)
    {
        public Tensor<double>[] Parameters => [W1, B1, W2, B2, W3, B3];

        public Tensor<double> Forward(Tensor<double> input)
        {
            var h1 = Ops.Tanh(Ops.Linear(input, W1, B1));
            var h2 = Ops.Tanh(Ops.Linear(h1, W2, B2));
            return Ops.Linear(h2, W3, B3);
        }
    }

    static Mlp Network(Random rng)
    {
        // Xavier-like scales so that tanh is neither saturated nor linear.
        Tensor<double> W(int o, int i) => GradCheck.Variable(rng, -Math.Sqrt(6.0 / (o + i)), Math.Sqrt(6.0 / (o + i)), o, i);
        Tensor<double> B(int o) => GradCheck.Variable(rng, -0.3, 0.3, o);
        return new Mlp(W(Hidden, 2), B(Hidden), W(Hidden, Hidden), B(Hidden), W(1, Hidden), B(1));
    }

    /// <summary>L(θ) = Σ_i (u_t − u_xx)² at the points [t_i, x_i], with u_t, u_xx by reverse mode on the recorded graph.</summary>
    static Tensor<double> PinnLoss(Mlp net, Tensor<double> points)
    {
        var input = points.Detach();
        input.RequiresGrad = true;
        var u = net.Forward(input);                                               // [n, 1]
        var du = Autograd.Grad(Ops.Sum(u), [input], createGraph: true)[0];        // [n, 2]: rows are independent
        var ut = Ops.Narrow(du, 1, 0, 1);
        var ux = Ops.Narrow(du, 1, 1, 1);
        var uxx = Ops.Narrow(Autograd.Grad(Ops.Sum(ux), [input], createGraph: true)[0], 1, 1, 1);
        return Ops.Sum(Ops.Square(Ops.Subtract(ut, uxx)));
    }

    /// <summary>
    /// The same loss in plain double arithmetic, with no automatic differentiation at all: second-order
    /// forward mode carries (a, ∂a/∂t, ∂a/∂x, ∂²a/∂x²) through each layer, using tanh' = 1 − a² and
    /// tanh'' = −2a(1 − a²).
    /// </summary>
    static double ReferenceLoss(double[][] p, double[,] points)
    {
        double[] w1 = p[0], b1 = p[1], w2 = p[2], b2 = p[3], w3 = p[4], b3 = p[5];
        double loss = 0;
        for (int n = 0; n < points.GetLength(0); n++)
        {
            var a = new double[Hidden]; var at = new double[Hidden]; var ax = new double[Hidden]; var axx = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double z = w1[j * 2] * points[n, 0] + w1[j * 2 + 1] * points[n, 1] + b1[j];
                double s = Math.Tanh(z), d1 = 1 - s * s, d2 = -2 * s * d1;
                a[j] = s; at[j] = d1 * w1[j * 2]; ax[j] = d1 * w1[j * 2 + 1]; axx[j] = d2 * w1[j * 2 + 1] * w1[j * 2 + 1];
            }
            var c = new double[Hidden]; var ct = new double[Hidden]; var cx = new double[Hidden]; var cxx = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double z = b2[j], zt = 0, zx = 0, zxx = 0;
                for (int i = 0; i < Hidden; i++)
                {
                    double w = w2[j * Hidden + i];
                    z += w * a[i]; zt += w * at[i]; zx += w * ax[i]; zxx += w * axx[i];
                }
                double s = Math.Tanh(z), d1 = 1 - s * s, d2 = -2 * s * d1;
                c[j] = s; ct[j] = d1 * zt; cx[j] = d1 * zx; cxx[j] = d2 * zx * zx + d1 * zxx;
            }
            double ut = 0, uxx = 0;
            for (int i = 0; i < Hidden; i++) { ut += w3[i] * ct[i]; uxx += w3[i] * cxx[i]; }
            _ = b3;
            loss += (ut - uxx) * (ut - uxx);
        }
        return loss;
    }

    [Fact]
    public void Weight_gradient_of_a_loss_of_second_input_derivatives_matches_finite_differences()
    {
        var rng = new Random(2024);
        var net = Network(rng);
        var pointValues = new double[Points, 2];
        for (int n = 0; n < Points; n++) { pointValues[n, 0] = rng.NextDouble(); pointValues[n, 1] = 2 * rng.NextDouble() - 1; }
        var points = Tensor<double>.FromSpan(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref pointValues[0, 0], 2 * Points), Points, 2);

        var loss = PinnLoss(net, points);
        var parameters = net.Parameters;
        var p = parameters.Select(t => t.ToArray()).ToArray();
        double reference = ReferenceLoss(p, pointValues);
        Assert.True(reference > 1e-3, $"the residual is not trivially zero (L = {reference})");
        Assert.Equal(reference, loss.ToScalar(), 1e-12 * reference);

        var grads = Autograd.Grad(loss, parameters);

        // Central differences of the plain-double L with h = 1e-5. L is smooth in θ (tanh of affine maps, squared),
        // with derivatives of the size of L (~1) and of its gradient (|∂L/∂θ| ≤ ~3 here): truncation h²|L'''|/6 is
        // ~2e-11, and rounding — L's O(1) terms summed with errors ~1e-15, divided by 2h — ~1e-10. Both are far below
        // a relative 1e-6 of the gradient (the worst entry uses under 1% of the allowance), while a wrong higher-order
        // rule errs by O(|∂L/∂θ|). The 1e-9 absolute floor covers nearly zero entries (the output bias b3 has an
        // exactly zero gradient: u_t and u_xx do not depend on it). The reference L shares no code with autodiff.
        const double h = 1e-5;
        var failures = new List<string>();
        int checkedCount = 0;
        for (int k = 0; k < parameters.Length; k++)
        {
            Assert.Equal(parameters[k].Shape.ToArray(), grads[k].Shape.ToArray());
            for (int j = 0; j < p[k].Length; j++)
            {
                double saved = p[k][j];
                p[k][j] = saved + h;
                double lp = ReferenceLoss(p, pointValues);
                p[k][j] = saved - h;
                double lm = ReferenceLoss(p, pointValues);
                p[k][j] = saved;
                double fd = (lp - lm) / (2 * h);
                double ad = grads[k][j];
                if (!(Math.Abs(ad - fd) <= 1e-6 * Math.Abs(fd) + 1e-9))
                    failures.Add($"parameter {k} element {j}: AD {ad:R}, FD {fd:R}");
                checkedCount++;
            }
        }
        Assert.Equal(2 * Hidden + Hidden + Hidden * Hidden + Hidden + Hidden + 1, checkedCount);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(0, grads[5][0]);
    }

    [Fact]
    public void Input_derivatives_of_the_network_match_the_forward_mode_reference()
    {
        // u_t and u_xx themselves, before their weight gradient is trusted.
        var rng = new Random(7);
        var net = Network(rng);
        var x = Tensor<double>.Variable([0.3, -0.4], 1, 2);
        var u = net.Forward(x);
        var du = Autograd.Grad(Ops.Sum(u), [x], createGraph: true)[0];
        var uxx = Autograd.Grad(Ops.Sum(Ops.Narrow(du, 1, 1, 1)), x)[1];
        const double h = 1e-4;
        double U(double t, double s)
        {
            using var off = GradMode.NoGrad();
            return net.Forward(Tensor<double>.FromSpan([t, s], 1, 2)).ToScalar();
        }
        double fdT = (U(0.3 + h, -0.4) - U(0.3 - h, -0.4)) / (2 * h);
        double fdXx = (U(0.3, -0.4 + h) - 2 * U(0.3, -0.4) + U(0.3, -0.4 - h)) / (h * h);
        Assert.Equal(fdT, du[0], 1e-8);
        // Second difference: truncation h²|u''''|/12 ~ 1e-9, rounding 4ε|u|/h² ~ 1e-7.
        Assert.Equal(fdXx, uxx, 1e-6);
    }
}
