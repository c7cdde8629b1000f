using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Samplers;

public class PfgmppTests(ITestOutputHelper output)
{
    /// <summary>Largest |F_n − F| of a sample against a CDF (one-sample Kolmogorov–Smirnov statistic).</summary>
    private static double KsStatistic(double[] sample, Func<double, double> cdf)
    {
        Array.Sort(sample);
        double worst = 0;
        for (int i = 0; i < sample.Length; i++)
        {
            double f = cdf(sample[i]);
            worst = Math.Max(worst, Math.Max(Math.Abs(f - (double)i / sample.Length), Math.Abs(f - (i + 1.0) / sample.Length)));
        }
        return worst;
    }

    /// <summary>Radii ‖x − y‖ of kernel draws around y = 0 in N dimensions.</summary>
    private static double[] Radii(int n, int dim, double sigma, double d, ulong seed)
    {
        var x = new double[n * dim];
        PfgmppSampler.Perturb(x, n, dim, sigma, d, seed);
        return Enumerable.Range(0, n).Select(s => Math.Sqrt(x.Skip(s * dim).Take(dim).Sum(v => v * v))).ToArray();
    }

    /// <summary>The radial CDF of the kernel, P(R ≤ ρ) ∝ ∫₀^ρ t^{N−1}/(t² + r²)^{(N+D)/2} dt, by the trapezoid rule in
    /// log t on a fine grid: an oracle that shares nothing with the Beta-prime/Gamma construction of the sampler.</summary>
    private static Func<double, double> RadialCdf(int dim, double sigma, double d)
    {
        double r = sigma * Math.Sqrt(d);
        const int m = 200_000;
        double lo = Math.Log(r) - 40, hi = Math.Log(r) + 40 + 200 / d;
        double h = (hi - lo) / m;
        var cum = new double[m + 1];
        double Integrand(double u) => Math.Exp(dim * u - 0.5 * (dim + d) * Math.Log(Math.Exp(2 * u) + r * r) + 0.5 * (dim + d) * Math.Log(r * r));
        for (int i = 1; i <= m; i++) cum[i] = cum[i - 1] + 0.5 * h * (Integrand(lo + (i - 1) * h) + Integrand(lo + i * h));
        double total = cum[m];
        return rho =>
        {
            double u = Math.Log(rho);
            if (u <= lo) return 0;
            if (u >= hi) return 1;
            double pos = (u - lo) / h;
            int i = (int)pos;
            return (cum[i] + (pos - i) * (cum[Math.Min(i + 1, m)] - cum[i])) / total;
        };
    }

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(2, 4.0)]
    [InlineData(3, 64.0)]
    public void Perturbation_kernel_radius_follows_the_pfgmpp_radial_law(int dim, double d)
    {
        const int n = 4000;
        double ks = KsStatistic(Radii(n, dim, 1.3, d, 3), RadialCdf(dim, 1.3, d));
        output.WriteLine($"N={dim} D={d}: KS={ks:F4} (bound at p = 0.001: {1.95 / Math.Sqrt(n):F4})");
        Assert.True(ks < 1.95 / Math.Sqrt(n), $"KS statistic {ks}");
    }

    [Fact]
    public void Perturbation_kernel_with_huge_d_is_the_gaussian_kernel()
    {
        // D = 10⁸: in N = 2 the radius of N(0, σ²I) has CDF 1 − exp(−ρ²/2σ²).
        const int n = 4000;
        double ks = KsStatistic(Radii(n, 2, 0.8, 1e8, 4), rho => 1 - Math.Exp(-rho * rho / (2 * 0.64)));
        output.WriteLine($"D=1e8 vs Gaussian radius: KS={ks:F4}");
        Assert.True(ks < 1.95 / Math.Sqrt(n));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(128.0)]
    [InlineData(1e8)]
    public void Exact_denoiser_quadrature_has_converged_at_the_default_96_nodes(double d)
    {
        const int Nodes = 96;
        var m = StandardMixtures.Get("skewed2d");
        var sch = new EdmSchedule();
        var x = new double[64 * 2];
        m.Sample(1, 2, 9, 0, x, 64);
        double worst = 0;
        foreach (double sigma in new[] { 0.05, 0.7, 5.0, 60.0 })
        {
            var a = new double[x.Length];
            var b = new double[x.Length];
            m.AsPfgmppModel(sch, d, Nodes).Evaluate(sigma, x, a, 64);
            m.AsPfgmppModel(sch, d, 512).Evaluate(sigma, x, b, 64);
            for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        output.WriteLine($"D={d}: max |E{Nodes} − E512| = {worst:E2}");
        Assert.True(worst < 1e-8, $"{worst}");
    }

    [Fact]
    public void Exact_denoiser_matches_direct_integration_over_the_data_in_one_dimension()
    {
        // p₀ = 0.3 N(−1, 0.2²) + 0.7 N(1.5, 0.5²); E[y|x] = ∫ y p₀(y) k(x − y) dy / ∫ p₀(y) k(x − y) dy with the
        // Student-t kernel k(z) = (1 + z²/(Dσ²))^{−(1+D)/2}, integrated over y directly (no scale-mixture identity).
        var m = new GaussianMixture([0.3, 0.7], [[-1.0], [1.5]], [[0.04], [0.25]]);
        const double d = 3, sigma = 0.9;
        var model = m.AsPfgmppModel(new EdmSchedule(), d);
        double[] xs = [-3, -0.5, 0.2, 1.0, 4.0, 12.0];
        var got = new double[xs.Length];
        model.Evaluate(sigma, xs, got, xs.Length);
        for (int j = 0; j < xs.Length; j++)
        {
            double num = 0, den = 0;
            const int steps = 40_000;
            double lo = -6, hi = 8, h = (hi - lo) / steps;
            for (int i = 0; i <= steps; i++)
            {
                double y = lo + i * h;
                double p0 = 0.3 * Math.Exp(-0.5 * (y + 1) * (y + 1) / 0.04) / 0.2 + 0.7 * Math.Exp(-0.5 * (y - 1.5) * (y - 1.5) / 0.25) / 0.5;
                double z = xs[j] - y;
                double w = p0 * Math.Pow(1 + z * z / (d * sigma * sigma), -(1 + d) / 2) * (i == 0 || i == steps ? 0.5 : 1);
                num += y * w;
                den += w;
            }
            output.WriteLine($"x={xs[j]}: quadrature {got[j]:F10} direct {num / den:F10}");
            Assert.Equal(num / den, got[j], 1e-8);
        }
    }

    [Fact]
    public void With_d_of_1e8_the_ode_sampler_and_denoiser_equal_edm()
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new EdmSchedule();
        var grid = SamplingGrid.Create(sch, 18, GridSpacing.Karras);
        const int n = 64;
        var start = new double[n * 2];
        m.Sample(1, grid.Sigma(0), 5, 0, start, n);
        var edm = (double[])start.Clone();
        new EdmHeunSampler().Sample(m.AsModel(sch), grid, edm, n);
        var pfgm = (double[])start.Clone();
        int nfe = new PfgmppSampler(1e8).Sample(m.AsPfgmppModel(sch, 1e8), grid, pfgm, n);
        Assert.Equal(new PfgmppSampler(1e8).Evaluations(grid), nfe);
        double worst = 0;
        for (int i = 0; i < pfgm.Length; i++) worst = Math.Max(worst, Math.Abs(pfgm[i] - edm[i]));
        output.WriteLine($"D=1e8 vs EDM after {nfe} NFE: max |Δx| = {worst:E2}");
        Assert.True(worst < 1e-5, $"{worst}");
    }

    [Fact]
    public void Ode_sampler_is_second_order_at_finite_d()
    {
        // Single Gaussian, D = 4: no closed-form flow, so the reference is the same sampler on a 16× finer grid.
        var m = GaussianFlow.Target;
        var sch = new EdmSchedule();
        var model = m.AsPfgmppModel(sch, 4, 48);
        var sampler = new PfgmppSampler(4);
        const int n = 16;
        var start = new double[n * 2];
        m.Sample(1, 0, 6, 0, start, n);
        PfgmppSampler.Perturb(start, n, 2, sch.MaxTime, 4, 7);
        double[] Run(int steps)
        {
            var x = (double[])start.Clone();
            sampler.Sample(model, SamplingGrid.Create(sch, steps, GridSpacing.Karras), x, n);
            return x;
        }
        var reference = Run(640);
        var nfes = new List<double>();
        var errors = new List<double>();
        foreach (int steps in new[] { 20, 40, 80 })
        {
            var x = Run(steps);
            double err = Math.Sqrt(x.Zip(reference).Sum(p => (p.First - p.Second) * (p.First - p.Second)) / n);
            nfes.Add(2 * steps - 1);
            errors.Add(err);
            output.WriteLine($"steps={steps} err={err:E3}");
        }
        double mx = nfes.Average(Math.Log), my = errors.Average(Math.Log);
        double slope = nfes.Zip(errors).Sum(p => (Math.Log(p.First) - mx) * (Math.Log(p.Second) - my)) / nfes.Sum(v => (Math.Log(v) - mx) * (Math.Log(v) - mx));
        output.WriteLine($"order {-slope:F3}");
        Assert.InRange(-slope, 1.7, 2.3);
    }

    [Theory]
    [InlineData(8.0)]
    [InlineData(128.0)]
    public void Samples_reproduce_the_ring_mixture(double d)
    {
        var m = StandardMixtures.Get("ring8");
        var sch = new EdmSchedule();
        const int n = 1000, steps = 18;
        var grid = SamplingGrid.Create(sch, steps, GridSpacing.Karras);
        var x = new double[n * 2];
        m.Sample(1, 0, 11, 0, x, n);
        PfgmppSampler.Perturb(x, n, 2, grid.Sigma(0), d, 12);
        new PfgmppSampler(d).Sample(m.AsPfgmppModel(sch, d, 32), grid, x, n);
        Assert.True(x.All(double.IsFinite));
        var exact = new double[n * 2];
        var other = new double[n * 2];
        m.Sample(1, grid.Sigma(steps), 101, 0, exact, n);
        m.Sample(1, grid.Sigma(steps), 202, 0, other, n);
        double floor = SampleMetrics.SlicedWasserstein2(exact, other, n, 2, 64);
        double sw = SampleMetrics.SlicedWasserstein2(x, exact, n, 2, 64);
        var masses = SampleMetrics.ModeMasses(m, 1, grid.Sigma(steps), x, n);
        output.WriteLine($"D={d}: SW2={sw:F4} floor={floor:F4}; masses {string.Join(" ", masses.Select(v => v.ToString("F3")))}");
        Assert.True(sw <= 1.6 * floor, $"sliced W2 {sw} above 1.6× the floor {floor}");
        double se = Math.Sqrt(0.125 * 0.875 / n);
        foreach (double p in masses) Assert.InRange(p, 0.125 - 5 * se, 0.125 + 5 * se);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_the_value_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PfgmppSampler(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PfgmppSampler(double.NaN));
        Assert.Throws<ArgumentException>(() => StandardMixtures.Get("ring8").AsPfgmppModel(new VpLinearSchedule(), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => PfgmppSampler.Perturb(new double[4], 2, 2, -1, 4, 0));
        var vp = new VpLinearSchedule();
        Assert.Throws<ArgumentException>(() => new PfgmppSampler(4).Sample(StandardMixtures.Get("ring8").AsModel(vp), SamplingGrid.Create(vp, 5, GridSpacing.LogSnr), new double[4], 2));
    }
}
