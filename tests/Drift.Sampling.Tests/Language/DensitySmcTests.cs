using Drift.Models.Text;
using Drift.Random;
using Drift.Sampling.Language;
using Drift.Sampling.Smc;

namespace Drift.Sampling.Tests.Language;

/// <summary>
/// Density models split into prior and likelihood and run by tempered SMC: the evidence of a conjugate model against its
/// closed form (log Ẑ within 4 standard errors over independent runs), exact draws of a truncated prior, and the errors
/// of models that cannot be split.
/// </summary>
public class DensitySmcTests(ITestOutputHelper output)
{
    private const string Conjugate = """
        data N: int
        data y: vector[N]
        data M: int
        data t: vector[M]
        param mu
        param lam > 0
        y ~ normal(mu, 1)
        lam ~ gamma(2, 1.5)
        t ~ exponential(lam)
        mu ~ normal(1, 3)
        """;

    private static readonly double[] Y = [0.3, 1.9, 2.4, 0.8, 1.1, 2.7, 1.6, 0.2];
    private static readonly double[] T = [0.5, 1.2, 0.1, 0.9, 2.2, 0.4, 0.7, 1.5, 0.3, 0.6];

    [Fact]
    public void Evidence_of_a_conjugate_model_matches_its_closed_form()
    {
        var split = DensityModel.Parse(Conjugate).BindTempered(new DensityData().Add("N", Y.Length).Add("y", Y).Add("M", T.Length).Add("t", T));

        // y ~ N(m𝟙, I + s²𝟙𝟙ᵀ) after integrating μ ~ N(m, s²) out (Sherman–Morrison and the matrix determinant lemma).
        const double m = 1, s2 = 9;
        int n = Y.Length;
        double rr = Y.Sum(v => (v - m) * (v - m)), r = Y.Sum(v => v - m);
        double logZNormal = -0.5 * n * Math.Log(2 * Math.PI) - 0.5 * Math.Log(1 + n * s2) - 0.5 * (rr - s2 * r * r / (1 + n * s2));
        // t ~ Exp(λ), λ ~ Gamma(a, b): Z = bᵃ Γ(a + M) / (Γ(a) (b + Σt)^{a + M}); a = 2, so log Γ(a + M) = log (M + 1)!.
        const double a = 2, b = 1.5;
        int count = T.Length;
        double logFactorial = Enumerable.Range(2, count).Sum(k => Math.Log(k));
        double logZGamma = a * Math.Log(b) + logFactorial - (a + count) * Math.Log(b + T.Sum());
        double truth = logZNormal + logZGamma;
        double lamPosterior = (a + count) / (b + T.Sum());

        const int runs = 6;
        var logZ = new double[runs];
        var lam = new double[runs];
        var point = new double[2];
        for (int k = 0; k < runs; k++)
        {
            var result = TemperedSmc.Sample(split.Prior, split.Likelihood, new TemperedSmcOptions { Particles = 200, Kernel = SmcKernel.Mala, Seed = (ulong)k + 1 });
            logZ[k] = result.LogEvidence;
            lam[k] = result.Expectation(u => { split.Posterior.Constrain(u, point); return point[1]; });
        }
        var (mean, se) = MeanAndError(logZ);
        var (lamMean, lamSe) = MeanAndError(lam);
        output.WriteLine($"log Z: {mean:F4} ± {se:F4} (truth {truth:F4}, z = {(mean - truth) / se:F2}); E lambda {lamMean:F4} ± {lamSe:F4} (truth {lamPosterior:F4})");
        Assert.True(se < 0.1, $"the standard error {se} is too large for the check to mean anything");
        Assert.True(Math.Abs(mean - truth) < 4 * se, $"log Z {mean} ± {se} vs {truth}");
        Assert.True(Math.Abs(lamMean - lamPosterior) < 4 * lamSe, $"E lambda {lamMean} ± {lamSe} vs {lamPosterior}");
        // The split is exact: prior + likelihood = the whole model, at any point.
        var g = new double[2];
        foreach (double[] u in new[] { new[] { 0.3, -0.2 }, new[] { 2.0, 1.1 } })
        {
            double whole = split.Posterior.LogDensity(u, g);
            var lp = new double[1];
            var ll = new double[1];
            split.Prior.Evaluate(u, lp, new double[2]);
            split.Likelihood.Evaluate(u, ll, new double[2]);
            Assert.Equal(whole, lp[0] + ll[0], 12);
        }
    }

    [Fact]
    public void A_truncated_prior_is_drawn_from_its_renormalised_law()
    {
        var split = DensityModel.Parse("""
            data y: vector[3]
            param s > 0
            s ~ normal(0, 2)
            y ~ normal(0, s)
            """).BindTempered(new DensityData().Add("y", new double[] { 0.5, -1, 2 }));
        const int count = 4000;
        var point = new double[1];
        var x = new double[1];
        double sum = 0, sum2 = 0;
        for (int p = 0; p < count; p++)
        {
            var draws = new StepDraws(3, (ulong)p, 0);
            split.Prior.Draw(ref draws, point);
            split.Posterior.Constrain(point, x);
            Assert.True(x[0] > 0);
            sum += x[0];
            sum2 += x[0] * x[0];
        }
        double mean = sum / count, sd = Math.Sqrt(sum2 / count - mean * mean);
        double truth = 2 * Math.Sqrt(2 / Math.PI); // half-normal mean σ√(2/π)
        Assert.True(Math.Abs(mean - truth) < 4 * sd / Math.Sqrt(count), $"half-normal mean {mean} vs {truth}");
    }

    [Theory]
    [InlineData("param mu\nparam s > 0\ns ~ exponential(1)\ny ~ normal(mu, s)", 1, 7, "'mu' has no prior")]
    [InlineData("param mu\nmu ~ normal(0, 1)\nmu ~ normal(1, 1)\ny ~ normal(mu, 1)", 3, 1, "second prior")]
    [InlineData("param mu\nparam s > 0\nmu ~ normal(0, s)\ns ~ lognormal(mu, 1)\ny ~ normal(mu, s)", 3, 1, "cycle")]
    [InlineData("param mu\nparam s > 1\nmu ~ normal(0, 1)\ns ~ exponential(exp(mu))\ny ~ normal(mu, s)", 4, 1, "truncated")]
    [InlineData("param mu\nmu ~ normal(0, 1)", 2, 6, "no likelihood")]
    public void Models_that_cannot_be_split_are_rejected_at_the_cause(string body, int line, int column, string words)
    {
        var data = new DensityData().Add("y", new double[] { 0.5, 1 });
        var e = Assert.Throws<ModelParseException>(() => DensityModel.Parse("data y: vector[2]\n" + body).BindTempered(data));
        output.WriteLine(e.Message);
        Assert.Contains(words, e.Message, StringComparison.Ordinal);
        Assert.Equal((line + 1, column), (e.Line, e.Column));
    }

    private static (double Mean, double Se) MeanAndError(double[] v)
    {
        double mean = v.Average();
        double var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, Math.Sqrt(var / v.Length));
    }
}
