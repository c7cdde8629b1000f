using Drift.Generative.Likelihood;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

/// <summary>The PF-ODE likelihood of <see cref="DataLikelihood"/> on the exact model and on a trained one, against the exact mixture density.</summary>
public class LikelihoodTests(ITestOutputHelper output)
{
    static (double Mean, double Se) Paired(double[] model, double[] exact)
    {
        int n = model.Length;
        double mean = 0;
        for (int r = 0; r < n; r++) mean += (model[r] - exact[r]) / n;
        double m2 = 0;
        for (int r = 0; r < n; r++) m2 += Math.Pow(model[r] - exact[r] - mean, 2);
        return (mean, Math.Sqrt(m2 / (n - 1) / n));
    }

    static double[] ExactNll(GaussianMixture mixture, double[] x, int n)
    {
        var nll = new double[n];
        for (int r = 0; r < n; r++) nll[r] = -mixture.LogDensity(1, 0, x.AsSpan(2 * r, 2));
        return nll;
    }

    [Fact]
    public void On_the_exact_mixture_model_the_NLL_is_the_exact_density_per_point()
    {
        // Oracle: the exact model's PF-ODE density is p_ε; −log p_ε differs from −log p₀ by O(σ_ε²) = 1e-4 here.
        var mixture = StandardMixtures.Get("skewed2d");
        int n = 200;
        var x = new double[2 * n];
        mixture.Sample(1, 0, 31, 0, x, n);
        var model = mixture.AsModel(new VpLinearSchedule(), Prediction.Noise);
        var est = DataLikelihood.Estimate(model, x, n, steps: 64, priorMean: mixture.Mean());
        var exact = ExactNll(mixture, x, n);
        double worst = 0;
        for (int r = 0; r < n; r++) worst = Math.Max(worst, Math.Abs(est.PerPoint[r] - exact[r]));
        output.WriteLine($"exact model: NLL {est.Mean:F4} ± {est.StandardError:F4}, exact {exact.Average():F4}; worst per-point error {worst:G3}");
        Assert.True(worst < 0.02, $"per-point NLL error {worst} on the exact model");
        Assert.Equal(est.Mean / (2 * Math.Log(2)), est.BitsPerDimension, 12);
    }

    [Fact]
    public void A_model_trained_on_an_exact_mixture_has_a_PF_ODE_NLL_within_a_stated_gap_of_the_exact_entropy()
    {
        // gauss2d (one anisotropic Gaussian): its optimal denoiser is linear, so a few hundred steps reach it and the gap
        // measures the likelihood machinery on a trained network rather than the training budget; the multimodal
        // skewed2d figures are in the quality table of docs/training.md (bench/compare/training_quality.sh).
        var mixture = StandardMixtures.Get("gauss2d");
        var data = PointDatasets.Generate("gauss2d", 16384, 5);
        var options = new DiffusionTrainingOptions
        {
            Objective = DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
            Network = new NetworkSpec(NetworkKind.Mlp, 2, 64, 3),
            BatchSize = 256, LearningRate = 2e-3, EmaDecay = 0.95, Seed = 2, Threads = 2,
        };
        using var trainer = new DiffusionTrainer<float>(data.Points, null, options);
        // Held-out exact samples (another seed than the training set); the entropy H = −E log p₀ by Monte Carlo on them.
        int n = 400;
        var x = new double[2 * n];
        mixture.Sample(1, 0, 77, 0, x, n);
        var exact = ExactNll(mixture, x, n);
        var before = DataLikelihood.Estimate(trainer.Model(), x, n, steps: 32, priorMean: trainer.DataMean);
        for (int k = 0; k < Steps; k++) trainer.Step();
        var after = DataLikelihood.Estimate(trainer.Model(), x, n, steps: 32, priorMean: trainer.DataMean);
        double h = exact.Average(), hSe = Math.Sqrt(exact.Select(v => (v - h) * (v - h)).Sum() / (n - 1) / n);
        var gap0 = Paired(before.PerPoint, exact);
        var gap = Paired(after.PerPoint, exact);
        output.WriteLine($"exact entropy {h:F4} ± {hSe:F4} nats; untrained NLL {before.Mean:F4} (gap {gap0.Mean:F3} ± {gap0.Se:F3}); "
            + $"after {Steps} steps NLL {after.Mean:F4} ± {after.StandardError:F4} (gap {gap.Mean:F4} ± {gap.Se:F4}, {after.BitsPerDimension:F4} bits/dim)");
        // NLL = H + KL(p‖q) ≥ H for a proper flow density q: the gap may not be negative beyond its error.
        Assert.True(gap.Mean > -4 * gap.Se, $"the trained NLL undercuts the entropy by {gap.Mean} (SE {gap.Se})");
        Assert.True(gap.Mean < GapBound, $"the trained NLL exceeds the exact entropy by {gap.Mean} nats (bound {GapBound})");
        Assert.True(gap0.Mean > 5 * GapBound, $"the untrained gap {gap0.Mean} should be far above the bound");
    }

    const int Steps = 300;
    const double GapBound = 0.15;
}
