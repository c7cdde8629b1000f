using Drift.Random;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

public class IntegratorTests
{
    /// <summary>Integrates the harmonic oscillator H = q²/2 + p²/2 to T = 1 from (1, 0); the exact end is (cos 1, −sin 1).</summary>
    private static double EndError(IntegratorKind kind, int steps)
    {
        var target = DiagonalGaussian.Standard(1);
        var options = new McmcOptions { Sampler = SamplerKind.Hmc, Integrator = kind, HmcSteps = steps, Metric = MetricKind.Unit, Warmup = 0, Draws = 1 };
        var chain = new ChainSampler<DiagonalGaussian>(target, options) { StepSize = 1.0 / steps };
        var z = chain.IntegrateForTest([1.0], [0.0], steps);
        return Math.Sqrt(Math.Pow(z.Q[0] - Math.Cos(1), 2) + Math.Pow(z.P[0] + Math.Sin(1), 2));
    }

    [Theory]
    [InlineData(IntegratorKind.Leapfrog, 2.0)]
    [InlineData(IntegratorKind.McLachlan, 2.0)]
    [InlineData(IntegratorKind.Yoshida, 4.0)]
    public void Measured_order_matches_theory(IntegratorKind kind, double order)
    {
        int[] steps = [8, 16, 32, 64];
        var x = steps.Select(s => Math.Log(1.0 / s)).ToArray();
        var y = steps.Select(s => Math.Log(EndError(kind, s))).ToArray();
        double mx = x.Average(), my = y.Average();
        double slope = x.Zip(y).Sum(t => (t.First - mx) * (t.Second - my)) / x.Sum(t => (t - mx) * (t - mx));
        Assert.InRange(slope, order - 0.25, order + 0.25);
    }

    [Fact]
    public void McLachlan_beats_leapfrog_at_equal_gradient_cost()
    {
        // Two gradients per McLachlan step: compare 16 McLachlan steps with 32 leapfrog steps.
        Assert.True(EndError(IntegratorKind.McLachlan, 16) < EndError(IntegratorKind.Leapfrog, 32));
    }

    [Theory]
    [InlineData(IntegratorKind.Leapfrog)]
    [InlineData(IntegratorKind.McLachlan)]
    [InlineData(IntegratorKind.Yoshida)]
    public void Integrators_are_reversible_and_volume_preserving_on_a_nonlinear_target(IntegratorKind kind)
    {
        var target = new Banana(1.5, 0.7);
        var options = new McmcOptions { Sampler = SamplerKind.Hmc, Integrator = kind, Metric = MetricKind.Dense, Warmup = 0, Draws = 1 };
        var chain = new ChainSampler<Banana>(target, options) { StepSize = 0.07 };
        Assert.True(chain.Metric.Update([2.0, 0.3, 0.3, 0.5]));
        double[] q0 = [0.4, -0.3], p0 = [0.2, 0.9];
        var z = chain.IntegrateForTest(q0, p0, 10);
        var back = chain.IntegrateForTest(z.Q, z.P.Select(v => -v).ToArray(), 10);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(q0[i], back.Q[i], 1e-12);
            Assert.Equal(p0[i], -back.P[i], 1e-12);
        }
        // Jacobian of (q, p) ↦ Φ(q, p) by central differences: det = 1.
        var jac = new double[4, 4];
        double h = 1e-5;
        for (int j = 0; j < 4; j++)
        {
            double[] Plus(int s) { var v = q0.Concat(p0).ToArray(); v[j] += s * h; return v; }
            var a = chain.IntegrateForTest(Plus(1).AsSpan(0, 2), Plus(1).AsSpan(2), 10);
            var b = chain.IntegrateForTest(Plus(-1).AsSpan(0, 2), Plus(-1).AsSpan(2), 10);
            var fa = a.Q.Concat(a.P).ToArray();
            var fb = b.Q.Concat(b.P).ToArray();
            for (int i = 0; i < 4; i++) jac[i, j] = (fa[i] - fb[i]) / (2 * h);
        }
        Assert.Equal(1.0, Determinant4(jac), 1e-7);
    }

    private static double Determinant4(double[,] m)
    {
        var a = (double[,])m.Clone();
        double det = 1;
        for (int c = 0; c < 4; c++)
        {
            int p = c;
            for (int r = c + 1; r < 4; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[p, c])) p = r;
            if (p != c) { for (int k = 0; k < 4; k++) (a[c, k], a[p, k]) = (a[p, k], a[c, k]); det = -det; }
            det *= a[c, c];
            for (int r = c + 1; r < 4; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k < 4; k++) a[r, k] -= f * a[c, k];
            }
        }
        return det;
    }
}
