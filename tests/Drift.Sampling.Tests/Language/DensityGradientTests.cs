using Drift.Sampling.Language;
using Drift.Sampling.Targets;
using Drift.Random;

namespace Drift.Sampling.Tests.Language;

/// <summary>
/// The exact (reverse-mode) gradient of every distribution, transform and operator against central finite differences
/// of the log-density, and the log-density itself against closed forms written independently here. Every model runs
/// through both evaluators — the compiled straight-line code and the interpreter, its oracle — which must agree to
/// 1e-12 relative in value and every gradient component.
/// </summary>
public class DensityGradientTests(ITestOutputHelper output)
{
    private static DensityTarget Bind(string model, DensityData? data = null) => DensityModel.Parse(model).Bind(data ?? new DensityData());

    private void CheckGradient(string model, DensityData? data = null, int points = 4, ulong seed = 1)
    {
        var parsed = DensityModel.Parse(model);
        var compiled = parsed.BindWith(data ?? new DensityData(), long.MaxValue);
        var interpreted = parsed.BindWith(data ?? new DensityData(), 0);
        Assert.True(compiled.IsCompiled);
        Assert.False(interpreted.IsCompiled);
        int d = compiled.Dimension;
        for (int k = 0; k < points; k++)
        {
            var draws = new StepDraws(seed, (ulong)k, 0);
            var u = new double[d];
            for (int i = 0; i < u.Length; i++) u[i] = 1.5 * (2 * draws.NextUniform() - 1);
            foreach (var target in new[] { compiled, interpreted })
            {
                var check = GradientCheck.Compare(target, u, 1e-6);
                output.WriteLine($"point {k}, {(target.IsCompiled ? "compiled" : "interpreted")}: worst {target.Names[check.Component]} analytic {check.Analytic:G10} FD {check.FiniteDifference:G10} rel {check.RelativeError:E2}");
                Assert.True(check.RelativeError < 1e-6, $"{target.Names[check.Component]}: analytic {check.Analytic} vs finite difference {check.FiniteDifference}");
            }
            double[] gc = new double[d], gi = new double[d];
            double lc = compiled.LogDensity(u, gc), li = interpreted.LogDensity(u, gi);
            AssertClose(li, lc, "log density");
            for (int i = 0; i < d; i++) AssertClose(gi[i], gc[i], $"gradient {compiled.Names[i]}");
        }
    }

    private static void AssertClose(double oracle, double compiled, string what) =>
        Assert.True(Math.Abs(compiled - oracle) <= 1e-12 * Math.Abs(oracle), $"{what}: compiled {compiled:R} vs interpreted {oracle:R}");

    [Theory]
    [InlineData("param y\nparam mu\nparam s > 0\ny ~ normal(mu, s)")]
    [InlineData("param y\nparam nu > 0\nparam mu\nparam s > 0\ny ~ student_t(nu, mu, s)")]
    [InlineData("param y\nparam mu\nparam s > 0\ny ~ cauchy(mu, s)")]
    [InlineData("param y > 0\nparam l > 0\ny ~ exponential(l)")]
    [InlineData("param y > 0\nparam a > 0\nparam b > 0\ny ~ gamma(a, b)")]
    [InlineData("param y > 0 < 1\nparam a > 0\nparam b > 0\ny ~ beta(a, b)")]
    [InlineData("param y > 0\nparam mu\nparam s > 0\ny ~ lognormal(mu, s)")]
    [InlineData("param x < 3\nparam z > -1 < 2\nx ~ normal(0, 2)\nz ~ normal(1, 1)")]
    [InlineData("param a\nparam b > 0.5\ntarget += sin(a) * cos(b) + exp(a / 3) - log(b) + sqrt(b) + tanh(a) + atan(a) + b^3 + pow(b, a / 4) - a^2 + abs(a) + max(a, 1/b) + min(a, b)")]
    public void Every_distribution_and_transform_has_the_exact_gradient(string model) => CheckGradient(model);

    [Fact]
    public void Vectorised_statements_with_data_have_the_exact_gradient()
    {
        var data = new DensityData()
            .Add("N", 4).Add("K", 2)
            .Add("X", new double[,] { { 1, 0.5 }, { -0.3, 2 }, { 0.7, -1.1 }, { 0, 0.4 } })
            .Add("y", [0, 1, 1, 0]).Add("c", [0, 3, 1, 7]).Add("t", [0.2, 0.5, 0.9, 0.4]);
        const string model = """
            data N: int
            data K: int
            data X: matrix[N, K]
            data y: int[N]
            data c: int[N]
            data t: vector[N] > 0 < 1
            param alpha
            param beta[K]
            param s > 0
            param v[N] > 0
            alpha ~ student_t(3, 0, 2.5)
            beta ~ normal(0, s)
            s ~ gamma(2, 1)
            v ~ lognormal(alpha, s)
            y ~ bernoulli_logit(alpha + X*beta)
            c ~ poisson_log(X*beta - 0.5)
            t ~ beta(s, v)
            target += sum(-0.5 * v * v) - sum(beta / s)
            """;
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "s", "v[1]", "v[2]", "v[3]", "v[4]"], Bind(model, data).Names);
        CheckGradient(model, data, 6);
    }

    [Fact]
    public void Log_densities_keep_every_normalising_constant()
    {
        // One statement each, at a fixed point, against the densities written out here (ln Γ from Lanczos in Variates).
        static double Lp(string model, params double[] x)
        {
            var target = Bind(model);
            var u = new double[x.Length];
            target.Unconstrain(x, u);
            // Remove the log-Jacobian of the transforms so that only the statement remains.
            double logJ = 0;
            var lower = model.Contains("> 0 < 1", StringComparison.Ordinal);
            for (int i = 0; i < x.Length; i++)
                if (target.Bounds[i].Length > 0) logJ += lower ? Math.Log(x[i]) + Math.Log(1 - x[i]) : Math.Log(x[i]);
            return target.LogDensity(u, new double[x.Length]) - logJ;
        }
        double l2pi = Math.Log(2 * Math.PI);
        Assert.Equal(-0.5 * l2pi - Math.Log(2) - 0.5 * 0.25 * 0.25, Lp("param y\ny ~ normal(0.5, 2)", 1.0), 12);
        Assert.Equal(Variates.LogGamma(2.5) - Variates.LogGamma(2) - 0.5 * Math.Log(4 * Math.PI) - Math.Log(2) - 2.5 * Math.Log(1 + 0.0625 / 4), Lp("param y\ny ~ student_t(4, 0.5, 2)", 1.0), 12);
        Assert.Equal(-Math.Log(Math.PI) - Math.Log(2) - Math.Log(1 + 0.0625), Lp("param y\ny ~ cauchy(0.5, 2)", 1.0), 12);
        Assert.Equal(Math.Log(1.5) - 1.5 * 0.7, Lp("param y > 0\ny ~ exponential(1.5)", 0.7), 12);
        Assert.Equal(2.5 * Math.Log(1.5) - Variates.LogGamma(2.5) + 1.5 * Math.Log(0.7) - 1.5 * 0.7, Lp("param y > 0\ny ~ gamma(2.5, 1.5)", 0.7), 12);
        Assert.Equal(Variates.LogGamma(5) - Variates.LogGamma(2) - Variates.LogGamma(3) + Math.Log(0.3) + 2 * Math.Log(0.7), Lp("param y > 0 < 1\ny ~ beta(2, 3)", 0.3), 12);
        double z = (Math.Log(0.7) - 0.1) / 0.5;
        Assert.Equal(-Math.Log(0.7) - Math.Log(0.5) - 0.5 * l2pi - 0.5 * z * z, Lp("param y > 0\ny ~ lognormal(0.1, 0.5)", 0.7), 12);
        var counts = Bind("data y: int[3]\nparam e\ny ~ poisson_log(e)", new DensityData().Add("y", [1, 0, 3]));
        Assert.Equal(4 * 0.4 - 3 * Math.Exp(0.4) - Math.Log(6), counts.LogDensity([0.4], new double[1]), 12);
        var coins = Bind("data y: int[3]\nparam e\ny ~ bernoulli_logit(e)", new DensityData().Add("y", [1, 0, 1]));
        Assert.Equal(2 * 0.3 - 3 * Math.Log(1 + Math.Exp(0.3)), coins.LogDensity([0.3], new double[1]), 12);
    }
}
