using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

public class KernelTests
{
    /// <summary>log N(y; m, ε² M⁻¹) up to a constant that cancels, written independently of the library.</summary>
    private static double LogProposal(double[] y, double[] x, double[] gx, double[,] inverseMetric, double eps)
    {
        // m = x + ε²/2 M⁻¹ g; exponent −(y − m)ᵀ M (y − m)/(2ε²), M = (M⁻¹)⁻¹ for the 2×2 case.
        double m0 = x[0] + 0.5 * eps * eps * (inverseMetric[0, 0] * gx[0] + inverseMetric[0, 1] * gx[1]);
        double m1 = x[1] + 0.5 * eps * eps * (inverseMetric[1, 0] * gx[0] + inverseMetric[1, 1] * gx[1]);
        double det = inverseMetric[0, 0] * inverseMetric[1, 1] - inverseMetric[0, 1] * inverseMetric[1, 0];
        double a = inverseMetric[1, 1] / det, b = -inverseMetric[0, 1] / det, c = inverseMetric[0, 0] / det;
        double r0 = y[0] - m0, r1 = y[1] - m1;
        return -(a * r0 * r0 + 2 * b * r0 * r1 + c * r1 * r1) / (2 * eps * eps);
    }

    [Fact]
    public void Mala_satisfies_detailed_balance_pointwise()
    {
        // π(x) q(y|x) α(x, y) = π(y) q(x|y) α(y, x) for every pair, with the library's acceptance ratio and an
        // independently written proposal density, under a dense metric.
        var target = new Banana(1.3, 0.6);
        var options = new McmcOptions { Sampler = SamplerKind.Mala, Metric = MetricKind.Dense, Warmup = 0, Draws = 1 };
        var chain = new ChainSampler<Banana>(target, options) { StepSize = 0.7 };
        double[,] inv = { { 1.5, -0.4 }, { -0.4, 0.8 } };
        Assert.True(chain.Metric.Update([1.5, -0.4, -0.4, 0.8]));
        var rng = new System.Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            double[] x = [rng.NextDouble() * 4 - 2, rng.NextDouble() * 4 - 2], y = [rng.NextDouble() * 4 - 2, rng.NextDouble() * 4 - 2];
            double[] gx = new double[2], gy = new double[2], lx = new double[1], ly = new double[1];
            target.Evaluate(x, lx, gx);
            target.Evaluate(y, ly, gy);
            double forward = chain.LangevinLogRatio(x, gx, lx[0], y, gy, ly[0]);
            double backward = chain.LangevinLogRatio(y, gy, ly[0], x, gx, lx[0]);
            // The ratio is the one of Hastings: log π(y) + log q(x|y) − log π(x) − log q(y|x).
            double hastings = ly[0] + LogProposal(x, y, gy, inv, 0.7) - lx[0] - LogProposal(y, x, gx, inv, 0.7);
            Assert.Equal(hastings, forward, 1e-9);
            Assert.Equal(-forward, backward, 1e-9);
            double flowForward = lx[0] + LogProposal(y, x, gx, inv, 0.7) + Math.Min(0, forward);
            double flowBackward = ly[0] + LogProposal(x, y, gy, inv, 0.7) + Math.Min(0, backward);
            Assert.Equal(flowForward, flowBackward, 1e-9);
        }
    }

    [Fact]
    public void Metropolis_rule_makes_an_exact_discrete_kernel_invariant()
    {
        // The accept rule the kernels use, min(1, e^{log π(y) − log π(x) + log q(x|y) − log q(y|x)}), applied on 7
        // states with an asymmetric proposal: the transition matrix P must satisfy πP = π exactly.
        double[] logPi = [0.3, -1.2, 2.0, 0.0, -0.5, 1.1, -2.2];
        int k = logPi.Length;
        var q = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            double total = 0;
            for (int j = 0; j < k; j++) total += q[i, j] = j == i ? 0 : 1.0 + (i * 3 + j * 5) % 4;
            for (int j = 0; j < k; j++) q[i, j] /= total;
        }
        var p = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            double stay = 1;
            for (int j = 0; j < k; j++)
            {
                if (j == i) continue;
                double logRatio = logPi[j] - logPi[i] + Math.Log(q[j, i]) - Math.Log(q[i, j]);
                p[i, j] = q[i, j] * Metropolis.AcceptProbability(logRatio);
                stay -= p[i, j];
            }
            p[i, i] = stay;
        }
        double z = logPi.Sum(Math.Exp);
        for (int j = 0; j < k; j++)
        {
            double flow = 0;
            for (int i = 0; i < k; i++) flow += Math.Exp(logPi[i]) / z * p[i, j];
            Assert.Equal(Math.Exp(logPi[j]) / z, flow, 1e-14);
        }
    }
}

public class TargetTests
{
    [Fact]
    public void Built_in_gradients_agree_with_finite_differences()
    {
        double[] p2 = [0.7, -1.3], p5 = [0.3, -0.4, 1.1, 0.2, -0.9];
        Assert.True(GradientCheck.Compare(Banana.Haario(), p2).RelativeError < 1e-7);
        Assert.True(GradientCheck.Compare(new Funnel(5), p5).RelativeError < 1e-7);
        Assert.True(GradientCheck.Compare(MultivariateGaussian.Equicorrelated(5, 0.6), p5).RelativeError < 1e-7);
        Assert.True(GradientCheck.Compare(DiagonalGaussian.IllConditioned(5, 1e4), p5).RelativeError < 1e-7);
        var reg = new BayesianLinearRegression([1, 2, 0.5, -1, 3, 0.2], [1.0, 0.3, -2.0], 2, 0.7, 1.5);
        Assert.True(GradientCheck.Compare(reg, p2).RelativeError < 1e-7);
        var batch = LogDensity.FromPoint(2, (x, g) => { g[0] = -x[0]; g[1] = -4 * x[1]; return -0.5 * x[0] * x[0] - 2 * x[1] * x[1]; });
        Assert.True(GradientCheck.Compare(batch, p2).RelativeError < 1e-7);
    }

    [Fact]
    public void A_wrong_gradient_is_caught_and_located()
    {
        var wrong = LogDensity.FromPoint(3, (x, g) => { g[0] = -x[0]; g[1] = -x[1]; g[2] = -2 * x[2]; return -0.5 * (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]); });
        var r = GradientCheck.Compare(wrong, [0.5, 0.5, 0.5]);
        Assert.Equal(2, r.Component);
        Assert.True(r.RelativeError > 0.4);
    }

    [Fact]
    public void Point_delegates_evaluate_batches_component_major()
    {
        var t = LogDensity.FromPoint(2, (x, g) => { g[0] = 2 * x[0]; g[1] = 3 * x[1]; return x[0] + 10 * x[1]; });
        double[] x = [1, 2, 3, 10, 20, 30]; // three chains: (1, 10), (2, 20), (3, 30)
        var lp = new double[3];
        var g = new double[6];
        t.Evaluate(x, lp, g);
        Assert.Equal([101.0, 202, 303], lp);
        Assert.Equal([2.0, 4, 6, 30, 60, 90], g);
    }

    [Fact]
    public void Bad_inputs_get_clear_errors()
    {
        var e = Assert.Throws<ArgumentException>(() => Mcmc.Sample(new Funnel(3), new McmcOptions { Initial = [double.NaN, 0, 0], Warmup = 10, Draws = 10 }));
        Assert.Contains("x[1]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mcmc.Sample(new Funnel(3), new McmcOptions { Chains = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mcmc.Sample(new Funnel(3), new McmcOptions { TargetAcceptance = 1.2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Funnel(1));
        Assert.Throws<ArgumentException>(() => new MultivariateGaussian([0, 0], [1, 2, 2, 1]));
    }
}

public class BatchLayoutTests
{
    [Fact]
    public void Batched_and_single_chain_evaluations_agree()
    {
        // The single-chain fast path of MultivariateGaussian and its component-major batch path compute the same values.
        var t = new MultivariateGaussian([0.5, -1, 2], [2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 1.5]);
        double[][] points = [[0.1, 0.2, 0.3], [-1, 2, 0.5], [3, -0.4, 1]];
        var xb = new double[9];
        for (int c = 0; c < 3; c++) for (int i = 0; i < 3; i++) xb[i * 3 + c] = points[c][i];
        var lb = new double[3];
        var gb = new double[9];
        t.Evaluate(xb, lb, gb);
        for (int c = 0; c < 3; c++)
        {
            var l1 = new double[1];
            var g1 = new double[3];
            t.Evaluate(points[c], l1, g1);
            Assert.Equal(lb[c], l1[0], 1e-12);
            for (int i = 0; i < 3; i++) Assert.Equal(gb[i * 3 + c], g1[i], 1e-12);
        }
    }
}
