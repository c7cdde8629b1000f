using Drift.Random;
using Drift.Sampling.Language;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests.Language;

/// <summary>
/// Density-language models sampled by NUTS against closed forms (CLT checks: |estimate − truth| / MCSE &lt; 4 with the
/// chains' own ESS), and the language's log-density against the hand-written C# regression target.
/// </summary>
public class DensityPosteriorTests(ITestOutputHelper output)
{
    private static McmcResult Sample(DensityTarget target, ulong seed, int warmup = 200, int draws = 400) =>
        Mcmc.Sample(target, new McmcOptions { Seed = seed, Warmup = warmup, Draws = draws, ParameterNames = target.Names })
            .MapDraws(target.Names, target.Constrain);

    [Fact]
    public void Normal_mean_with_a_normal_prior_matches_the_conjugate_posterior()
    {
        double[] y = [1.2, 0.4, 2.1, 1.7, 0.9, 1.5];
        const double sigma = 0.8, m0 = 0, t0 = 2;
        var target = DensityModel.Parse("""
            data N: int
            data y: vector[N]
            data sigma: real > 0
            param mu
            mu ~ normal(0, 2)
            y ~ normal(mu, sigma)
            """).Bind(new DensityData().Add("N", y.Length).Add("y", y).Add("sigma", sigma));
        double precision = 1 / (t0 * t0) + y.Length / (sigma * sigma);
        double mean = (m0 / (t0 * t0) + y.Sum() / (sigma * sigma)) / precision;
        var r = Sample(target, 31);
        Clt.Check("E mu", r.Parameter(0), mean, output);
        Clt.Check("Var mu", r.Function(p => (p[0] - mean) * (p[0] - mean)), 1 / precision, output);
    }

    [Fact]
    public void Gamma_rate_of_exponential_data_matches_the_conjugate_posterior_through_the_log_transform()
    {
        double[] y = [0.3, 1.1, 0.25, 0.8, 2.0, 0.45, 0.6];
        const double a = 2, b = 1;
        var target = DensityModel.Parse("""
            data y: vector[7] > 0
            param lambda > 0
            lambda ~ gamma(2, 1)
            y ~ exponential(lambda)
            """).Bind(new DensityData().Add("y", y));
        double shape = a + y.Length, rate = b + y.Sum();
        var r = Sample(target, 32);
        Assert.All(Enumerable.Range(0, r.Chains), c => Assert.True(r.Draw(c, 0, 0) > 0));
        Clt.Check("E lambda", r.Parameter(0), shape / rate, output);
        Clt.Check("Var lambda", r.Function(p => (p[0] - shape / rate) * (p[0] - shape / rate)), shape / (rate * rate), output);
    }

    [Fact]
    public void Beta_probability_of_coin_flips_matches_the_conjugate_posterior_through_the_logit_transform()
    {
        double[] y = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1];
        var target = DensityModel.Parse("""
            data y: int[10]
            param p > 0 < 1
            p ~ beta(2, 3)
            y ~ bernoulli_logit(log(p) - log(1 - p))
            """).Bind(new DensityData().Add("y", y));
        double a = 2 + y.Sum(), b = 3 + y.Length - y.Sum(), mean = a / (a + b), variance = a * b / ((a + b) * (a + b) * (a + b + 1));
        var r = Sample(target, 33);
        Clt.Check("E p", r.Parameter(0), mean, output);
        Clt.Check("Var p", r.Function(p => (p[0] - mean) * (p[0] - mean)), variance, output);
    }

    [Fact]
    public void Linear_regression_in_the_language_equals_the_csharp_target_up_to_its_constant()
    {
        const int n = 30, k = 3;
        const double sigma = 0.5, tau = 2;
        var draws = new StepDraws(7, 0, 0);
        var x = new double[n * k];
        var y = new double[n];
        var rows = new double[n, k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++) rows[i, j] = x[i * k + j] = draws.NextNormal();
            y[i] = 1 - 0.5 * x[i * k] + 0.25 * x[i * k + 2] + sigma * draws.NextNormal();
        }
        var reference = new BayesianLinearRegression(x, y, k, sigma, tau);
        var target = DensityModel.Parse("""
            data N: int
            data K: int
            data X: matrix[N, K]
            data y: vector[N]
            param b[K]
            b ~ normal(0, 2)
            y ~ normal(X*b, 0.5)
            """).Bind(new DensityData().Add("N", n).Add("K", k).Add("X", rows).Add("y", y));
        // The C# target drops the normalising constants; the language keeps them: N + K Gaussian terms.
        double constant = -n * (Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI)) - k * (Math.Log(tau) + 0.5 * Math.Log(2 * Math.PI))
            - y.Sum(v => v * v) / (2 * sigma * sigma);
        double worst = 0;
        for (int t = 0; t < 20; t++)
        {
            var point = new double[k];
            for (int j = 0; j < k; j++) point[j] = 3 * draws.NextNormal();
            double[] g1 = new double[k], g2 = new double[k], lp = new double[1];
            reference.Evaluate(point, lp, g1);
            double mine = target.LogDensity(point, g2);
            worst = Math.Max(worst, Math.Abs(mine - constant - lp[0]) / Math.Max(1, Math.Abs(lp[0])));
            for (int j = 0; j < k; j++) worst = Math.Max(worst, Math.Abs(g1[j] - g2[j]) / Math.Max(1, Math.Abs(g1[j])));
        }
        output.WriteLine($"worst relative difference of log-density and gradient over 20 points: {worst:E2}");
        Assert.True(worst < 1e-10, $"worst relative difference {worst}");
    }

    [Fact]
    public void Logistic_regression_recovers_the_simulated_truth()
    {
        // 200 observations from alpha = 0.5, beta = (1, -0.7, 0.3): the posterior mean lies within 4 posterior sd of
        // the truth (Bernstein–von Mises), and the chains agree (R-hat < 1.01, CLT-sized MCSE).
        const int n = 200, k = 3;
        double alpha = 0.5;
        double[] beta = [1, -0.7, 0.3];
        var draws = new StepDraws(2026, 0, 0);
        var x = new double[n, k];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double eta = alpha;
            for (int j = 0; j < k; j++) eta += beta[j] * (x[i, j] = draws.NextNormal());
            y[i] = draws.NextUniform() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        var target = DensityModel.Parse(File.ReadAllText(Example("logistic.drift")))
            .Bind(new DensityData().Add("N", n).Add("K", k).Add("X", x).Add("y", y));
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "beta[3]", "s"], target.Names);
        var r = Sample(target, 34, 150, 250);
        var summary = r.Summary();
        double[] truth = [alpha, .. beta];
        for (int i = 0; i < 4; i++)
        {
            var s = summary[i];
            double z = (s.Mean - truth[i]) / s.StandardDeviation;
            output.WriteLine($"{s.Name}: mean {s.Mean:F3} ± {s.McseMean:F3} (sd {s.StandardDeviation:F3}), truth {truth[i]}, {z:F2} sd; R-hat {s.Rhat:F3}, ESS {s.EssBulk:F0}");
            Assert.True(Math.Abs(z) < 4, $"{s.Name}: {s.Mean} is {z:F2} posterior sd from the truth {truth[i]}");
            Assert.True(s.Rhat < 1.01, $"{s.Name} R-hat {s.Rhat}");
        }
        Assert.True(summary[4].Q5 > 0, "s is constrained positive");
        Assert.Equal(0, r.Divergences);
    }

    [Fact]
    public void Eight_schools_example_samples_without_divergences_in_its_non_centred_form()
    {
        var target = DensityModel.Parse(File.ReadAllText(Example("eight_schools.drift"))).Bind(DensityData.Read(Example("eight_schools.json")));
        Assert.Equal(10, target.Dimension);
        var r = Mcmc.Sample(target, new McmcOptions { Seed = 35, Warmup = 200, Draws = 250, TargetAcceptance = 0.9, ParameterNames = target.Names })
            .MapDraws(target.Names, target.Constrain);
        var summary = r.Summary();
        foreach (var s in summary.Take(2)) output.WriteLine($"{s.Name}: mean {s.Mean:F2} sd {s.StandardDeviation:F2} R-hat {s.Rhat:F3} ESS {s.EssBulk:F0}");
        output.WriteLine($"divergences {r.Divergences}");
        // Posterior of the non-centred model (Stan's reference run, BDA3 §5.5): E mu ≈ 4.4, E tau ≈ 3.6; loose here (short chains).
        Assert.InRange(summary[0].Mean, 2.5, 6.5);
        Assert.InRange(summary[1].Mean, 2, 5.5);
        Assert.True(r.Divergences <= 3, $"{r.Divergences} divergences");
    }

    internal static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples", "mcmc"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("examples/mcmc not found above the test directory"), "examples", "mcmc", name);
    }
}
