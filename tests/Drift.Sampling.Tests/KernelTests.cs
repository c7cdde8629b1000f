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
