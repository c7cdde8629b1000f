using Drift.Models.Text;
using Drift.Sampling.Language;

namespace Drift.Sampling.Tests.Language;

/// <summary>A density model cut into prior + one likelihood term per observation for SG-MCMC: the terms add up to the model.</summary>
public class DensityMinibatchTests
{
    private const string Logistic = DensityModelTests.Logistic;

    [Fact]
    public void Prior_plus_every_observation_term_is_the_whole_model_in_value_and_gradient()
    {
        const int n = 7, k = 2;
        var x = new double[n, k];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = Math.Sin(i + 1);
            x[i, 1] = Math.Cos(3 * i);
            y[i] = i % 3 == 0 ? 1 : 0;
        }
        var target = DensityModel.Parse(Logistic).BindMinibatch(new DensityData().Add("N", n).Add("K", k).Add("X", x).Add("y", y));
        Assert.Equal(n, target.DataCount);
        Assert.Equal(4, target.Dimension);
        int[] all = [.. Enumerable.Range(0, n)];
        foreach (double[] u in new[] { new[] { 0.3, -0.5, 1.2, -0.4 }, new[] { -1.0, 0.7, 0.1, 0.9 } })
        {
            var gWhole = new double[4];
            double whole = target.Posterior.LogDensity(u, gWhole);
            var gPrior = new double[4];
            var gLik = new double[4];
            double sum = target.LogPrior(u, gPrior) + target.LogLikelihood(u, all, gLik);
            Assert.Equal(whole, sum, 12);
            for (int j = 0; j < 4; j++) Assert.Equal(gWhole[j], gPrior[j] + gLik[j], 12);
            // Two halves of the data add up to the whole likelihood.
            double half = target.LogLikelihood(u, all.AsSpan(0, 3), gPrior) + target.LogLikelihood(u, all.AsSpan(3), gPrior);
            Assert.Equal(whole - target.LogPrior(u, gPrior), half, 12);
        }
    }

    [Fact]
    public void A_likelihood_that_cannot_be_cut_into_observations_is_an_error_at_its_line()
    {
        var e = Assert.Throws<ModelParseException>(() => DensityModel.Parse("data y: vector[2]\nparam mu\nmu ~ normal(0, 1)\ntarget += -mu * mu\n")
            .BindMinibatch(new DensityData().Add("y", new double[] { 1, 2 })));
        Assert.Equal((4, 1), (e.Line, e.Column));
        Assert.Contains("is 'target +='", e.Message, StringComparison.Ordinal);
    }
}
