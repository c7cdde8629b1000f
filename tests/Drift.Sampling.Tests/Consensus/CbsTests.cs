using Drift.Sampling.Consensus;

namespace Drift.Sampling.Tests.Consensus;

/// <summary>Consensus-based sampling against the closed form: for a Gaussian e^{−f} its invariant law is the target.</summary>
public class CbsTests(ITestOutputHelper output)
{
    /// <summary>f(x) = ½(x − a)ᵀ Σ⁻¹ (x − a) in d = 2.</summary>
    private readonly struct GaussianEnergy(double a0, double a1, double s00, double s01, double s11) : IObjective
    {
        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
        {
            int n = values.Length;
            double det = s00 * s11 - s01 * s01, p00 = s11 / det, p01 = -s01 / det, p11 = s00 / det;
            for (int c = 0; c < n; c++)
            {
                double y0 = x[c] - a0, y1 = x[n + c] - a1;
                values[c] = 0.5 * (p00 * y0 * y0 + 2 * p01 * y0 * y1 + p11 * y1 * y1);
            }
        }
    }

    [Fact]
    public void Sampling_mode_reproduces_a_gaussian_targets_mean_and_covariance()
    {
        // Target N(a, Σ), a = (1, −2), Σ = [[1, 0.6], [0.6, 2]]. The fixed point of the CBS map is exactly (a, Σ); the
        // finite-N shrinkage of the weighted covariance is O(1/N) (measured −8 % at N = 500, −4 % at N = 1000), so N = 2000
        // keeps it near 1.5 SE. Estimates over 4 seeds are compared with their own spread (particles share m_α and C_α,
        // so iid standard errors would understate it).
        var target = new GaussianEnergy(1, -2, 1, 0.6, 2);
        double[] truth = [1, -2, 1, 0.6, 2];
        const int seeds = 4;
        var estimates = new double[seeds][];
        for (int s = 0; s < seeds; s++)
        {
            var r = Cbs.Sample(target, new CbsOptions { Particles = 2000, Steps = 30, Seed = (ulong)s + 1, Threads = 1 });
            estimates[s] = [r.Mean(0), r.Mean(1), r.Covariance(0, 0), r.Covariance(0, 1), r.Covariance(1, 1)];
        }
        string[] names = ["E x1", "E x2", "Var x1", "Cov x1 x2", "Var x2"];
        for (int k = 0; k < truth.Length; k++)
        {
            double mean = estimates.Average(e => e[k]), sd = Math.Sqrt(estimates.Sum(e => (e[k] - mean) * (e[k] - mean)) / (seeds - 1));
            double se = sd / Math.Sqrt(seeds);
            output.WriteLine($"{names[k]}: {mean:F4} ± {se:F4} (truth {truth[k]})");
            Assert.True(Math.Abs(mean - truth[k]) < 4 * se + 1e-3 * Math.Abs(truth[k]), $"{names[k]}: {mean} vs {truth[k]} ({(mean - truth[k]) / se:F2} SE)");
            Assert.True(se < 0.08, $"{names[k]}: SE {se} too large for the check to mean anything");
        }
    }

    [Fact]
    public void Optimisation_mode_contracts_onto_the_minimiser()
    {
        var r = Cbs.Sample(new GaussianEnergy(1, -2, 1, 0.6, 2), new CbsOptions { Mode = CbsMode.Optimisation, Alpha = 10, Particles = 200, Steps = 100, Threads = 1 });
        Assert.InRange(r.Consensus[0], 0.95, 1.05);
        Assert.InRange(r.Consensus[1], -2.05, -1.95);
        Assert.InRange(r.Covariance(0, 0), 0, 1e-2);
    }

    [Fact]
    public void Runs_are_bit_identical_on_one_and_two_threads()
    {
        var target = new GaussianEnergy(0, 0, 1, 0.3, 1);
        var one = Cbs.Sample(target, new CbsOptions { Particles = 300, Steps = 10, Seed = 5, Threads = 1 });
        var two = Cbs.Sample(target, new CbsOptions { Particles = 300, Steps = 10, Seed = 5, Threads = 2 });
        Assert.True(one.Particles.SequenceEqual(two.Particles));
        var cboOne = Cbo.Minimize(new Rastrigin(5), new CboOptions { Particles = 150, Steps = 50, Seed = 5, Threads = 1 });
        var cboTwo = Cbo.Minimize(new Rastrigin(5), new CboOptions { Particles = 150, Steps = 50, Seed = 5, Threads = 2 });
        Assert.True(cboOne.Particles.SequenceEqual(cboTwo.Particles));
    }

    [Fact]
    public void Bad_options_name_the_value()
    {
        Assert.Contains("Alpha", Assert.ThrowsAny<ArgumentException>(() => Cbs.Sample(new Rastrigin(2), new CbsOptions { Alpha = 0 })).Message);
        Assert.Contains("Particles", Assert.ThrowsAny<ArgumentException>(() => Cbo.Minimize(new Rastrigin(2), new CboOptions { Particles = 1 })).Message);
        Assert.Contains("Sigma", Assert.ThrowsAny<ArgumentException>(() => Cbo.Minimize(new Rastrigin(2), new CboOptions { Sigma = double.NaN })).Message);
        Assert.Contains("InitialHigh", Assert.ThrowsAny<ArgumentException>(() => Cbo.Minimize(new Rastrigin(2), new CboOptions { InitialLow = 1, InitialHigh = 1 })).Message);
    }
}
