using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Drift.Random;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

/// <summary>Importance sampling of t: the weighted loss keeps the uniform expectation (Monte Carlo, in standard errors) and has a lower variance.</summary>
public class ImportanceSamplingTests(ITestOutputHelper output)
{
    [Fact]
    public void The_likelihood_weighting_is_g2_over_sigma2_on_the_noise_error()
    {
        var sch = new VpLinearSchedule();
        var objective = DiffusionObjective.ScoreMatching(sch, Prediction.Noise, LossWeighting.Likelihood);
        foreach (double t in new[] { 0.01, 0.3, 0.9 })
            Assert.Equal(sch.DiffusionSquared(t) / Math.Pow(sch.Sigma(t), 2), objective.Weight(t), 10);
        Assert.Throws<ArgumentException>(() => new ImportanceTimeSampler(DiffusionObjective.Edm()));
    }

    [Fact]
    public void Importance_sampled_times_give_the_uniform_expected_loss_with_a_lower_variance()
    {
        // The per-row loss w(t)·‖ε̂(x_t, t) − ε‖²/d of the exact skewed2d model under the likelihood weighting on VP: its
        // mean over (t, x₀, ε) is the same whether t is uniform or importance-sampled with the factor r(t).
        var mixture = StandardMixtures.Get("skewed2d");
        var sch = new VpLinearSchedule();
        var objective = DiffusionObjective.ScoreMatching(sch, Prediction.Noise, LossWeighting.Likelihood);
        var model = mixture.AsModel(sch, Prediction.Noise);
        var sampler = new ImportanceTimeSampler(objective);
        int n = 20000;
        var x0 = new double[2 * n];
        var eps = new double[2 * n];
        var u = new double[n];
        mixture.Sample(1, 0, 5, 0, x0, n);
        new PhiloxNormals(6).FillStream(0, 0, eps);
        new PhiloxUniforms(7).FillStream(0, 0, u);
        (double Mean, double Se, double Var) Loss(bool importance)
        {
            var xt = new double[2];
            var target = new double[2];
            var p = new double[2];
            double sum = 0, sum2 = 0;
            for (int r = 0; r < n; r++)
            {
                double t, factor = 1;
                if (importance) (t, factor) = sampler.Sample(u[r]);
                else t = objective.SampleTime(u[r], 0);
                double w = factor * objective.Row(t, x0.AsSpan(2 * r, 2), eps.AsSpan(2 * r, 2), xt, target);
                model.Evaluate(t, xt, p, 1);
                double l = w * ((p[0] - target[0]) * (p[0] - target[0]) + (p[1] - target[1]) * (p[1] - target[1])) / 2;
                sum += l;
                sum2 += l * l;
            }
            double mean = sum / n, variance = (sum2 - n * mean * mean) / (n - 1);
            return (mean, Math.Sqrt(variance / n), variance);
        }
        var uniform = Loss(false);
        var weighted = Loss(true);
        double se = Math.Sqrt(uniform.Se * uniform.Se + weighted.Se * weighted.Se);
        output.WriteLine($"expected likelihood-weighted loss: uniform t {uniform.Mean:G5} ± {uniform.Se:G3}, importance {weighted.Mean:G5} ± {weighted.Se:G3} "
            + $"(difference {(weighted.Mean - uniform.Mean) / se:F2} SE); per-row variance {uniform.Var:G4} → {weighted.Var:G4} ({uniform.Var / weighted.Var:F1}× lower)");
        Assert.True(Math.Abs(weighted.Mean - uniform.Mean) < 4 * se, "importance sampling changed the expected loss");
        Assert.True(weighted.Var < 0.2 * uniform.Var, $"variance {weighted.Var} is not 5× below the uniform {uniform.Var}");
    }
}
