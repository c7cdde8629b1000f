using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Drift.Random;

namespace Drift.Generative.Training.Tests;

/// <summary>The algebra of the objectives: targets, preconditioning, weights and the interpolant schedule.</summary>
public class ObjectiveTests
{
    static IEnumerable<DiffusionObjective> AllObjectives()
    {
        NoiseSchedule[] schedules = [new VpLinearSchedule(), new VpCosineSchedule(), new SubVpSchedule(), new VeSchedule(), new EdmSchedule(),
            new RectifiedFlowSchedule(), new MeanRevertingSchedule(), new InterpolantSchedule(false, 0.5), new InterpolantSchedule(true, 1)];
        foreach (var s in schedules)
            foreach (var p in new[] { Prediction.Noise, Prediction.Data, Prediction.V, Prediction.Score, Prediction.Velocity })
                foreach (var w in new[] { LossWeighting.Simple, LossWeighting.Snr, LossWeighting.MinSnr })
                    yield return DiffusionObjective.ScoreMatching(s, p, w);
        yield return DiffusionObjective.Edm();
        yield return DiffusionObjective.Edm(sigmaData: 1.7);
        yield return DiffusionObjective.FlowMatching();
        yield return DiffusionObjective.Interpolant(new InterpolantSchedule(false, 0.3));
        yield return DiffusionObjective.Interpolant(new InterpolantSchedule(true, 0.3), Prediction.Noise);
    }

    [Fact]
    public void The_network_target_wrapped_by_the_preconditioning_is_the_exact_prediction_of_the_clean_row()
    {
        // If F equals its regression target, P = c_skip x_t + c_out F must be the exact prediction y_P(x₀, ε); converting
        // it to the data parameterisation with the library's independent converter must give x₀ back.
        var normals = new PhiloxNormals(5);
        int checkedRows = 0;
        foreach (var objective in AllObjectives())
        {
            for (int k = 0; k < 7; k++)
            {
                double t = objective.SampleTime((k + 0.5) / 7, normals.Draw(99, (ulong)k));
                if (!(objective.Schedule.Sigma(t) > 1e-6)) continue;
                double[] x0 = [normals.Draw(1, (ulong)k), normals.Draw(2, (ulong)k), 3 * normals.Draw(3, (ulong)k)];
                double[] eps = [normals.Draw(4, (ulong)k), normals.Draw(5, (ulong)k), normals.Draw(6, (ulong)k)];
                var xt = new double[3];
                var f = new double[3];
                double w = objective.Row(t, x0, eps, xt, f);
                Assert.True(w > 0 && double.IsFinite(w), $"{ModelDescription.Describe(objective)} t={t}: weight {w}");
                var pre = objective.Precondition(t);
                var p = new double[3];
                for (int j = 0; j < 3; j++) p[j] = pre.Skip * xt[j] + pre.Out * f[j];
                PredictionConverter.Convert(objective.Schedule, t, xt, p, objective.Prediction, Prediction.Data);
                for (int j = 0; j < 3; j++)
                    Assert.True(Math.Abs(p[j] - x0[j]) < 1e-7 * (1 + Math.Abs(x0[j])) / Math.Min(1, objective.Schedule.Alpha(t)),
                        $"{ModelDescription.Describe(objective)} t={t}: recovered x0[{j}] = {p[j]}, exact {x0[j]}");
                for (int j = 0; j < 3; j++)
                    Assert.Equal(objective.Schedule.Alpha(t) * x0[j] + objective.Schedule.Sigma(t) * eps[j], xt[j], 12);
                checkedRows++;
            }
        }
        Assert.True(checkedRows > 900, $"only {checkedRows} rows checked");
    }

    [Fact]
    public void The_data_error_factor_is_the_squared_gain_from_a_data_error_to_the_prediction_error()
    {
        // k_P(t) = ‖ΔP‖²/‖Δx̂₀‖², measured by perturbing a data prediction and converting it.
        foreach (var objective in AllObjectives().Where(o => o.Kind == ObjectiveKind.ScoreMatching && o.Weighting == LossWeighting.Simple))
        {
            foreach (double u in new[] { 0.1, 0.5, 0.9 })
            {
                double t = objective.SampleTime(u, 0);
                double[] x = [0.3, -1.2];
                double[] a = [0.7, 0.1], b = [0.7 + 1e-3, 0.1 - 2e-3];
                PredictionConverter.Convert(objective.Schedule, t, x, a, Prediction.Data, objective.Prediction);
                PredictionConverter.Convert(objective.Schedule, t, x, b, Prediction.Data, objective.Prediction);
                double dp = (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]), dx = 1e-6 + 4e-6;
                double k = objective.DataErrorFactor(t);
                Assert.True(Math.Abs(dp / dx - k) < 1e-6 * k, $"{ModelDescription.Describe(objective)} t={t}: measured {dp / dx}, formula {k}");
            }
        }
    }

    [Fact]
    public void Weightings_give_the_published_weights()
    {
        var vp = new VpLinearSchedule();
        foreach (double t in new[] { 0.01, 0.2, 0.5, 0.95 })
        {
            double a = vp.Alpha(t), s = vp.Sigma(t), snr = a * a / (s * s);
            // Hang et al. 2023: ε-prediction min(SNR, γ)/SNR, x₀-prediction min(SNR, γ), v-prediction min(SNR, γ)/(SNR + 1).
            Assert.Equal(Math.Min(snr, 5) / snr, DiffusionObjective.ScoreMatching(vp, Prediction.Noise, LossWeighting.MinSnr).Weight(t), 10);
            Assert.Equal(Math.Min(snr, 5), DiffusionObjective.ScoreMatching(vp, Prediction.Data, LossWeighting.MinSnr).Weight(t), 10);
            Assert.Equal(Math.Min(snr, 5) / (snr + 1), DiffusionObjective.ScoreMatching(vp, Prediction.V, LossWeighting.MinSnr).Weight(t), 10);
            Assert.Equal(1.0, DiffusionObjective.ScoreMatching(vp, Prediction.Noise, LossWeighting.Snr).Weight(t), 12);
            Assert.Equal(snr, DiffusionObjective.ScoreMatching(vp, Prediction.Data, LossWeighting.Snr).Weight(t), 9);
        }
    }

    [Fact]
    public void Edm_uses_the_constants_of_Karras_et_al_table_1()
    {
        var edm = DiffusionObjective.Edm();
        Assert.Equal(0.5, edm.SigmaData);
        Assert.Equal(-1.2, edm.PMean);
        Assert.Equal(1.2, edm.PStd);
        foreach (double sigma in new[] { 0.002, 0.1, 0.5, 3, 80 })
        {
            var p = edm.Precondition(sigma);
            double sd = 0.5, r = Math.Sqrt(sigma * sigma + sd * sd);
            Assert.Equal(sd * sd / (sigma * sigma + sd * sd), p.Skip, 14);
            Assert.Equal(sigma * sd / r, p.Out, 14);
            Assert.Equal(1 / r, p.In, 14);
            Assert.Equal(1000 * 0.25 * Math.Log(sigma), p.Noise, 10);
            // λ(σ)·c_out² = 1: the network's loss is unweighted.
            Assert.Equal(1.0, edm.Weight(sigma) * p.Out * p.Out, 12);
        }
        // ln σ ~ N(P_mean, P_std²): the time of a normal draw n is exp(−1.2 + 1.2 n).
        Assert.Equal(Math.Exp(-1.2 + 1.2 * 0.7), edm.SampleTime(0.3, 0.7), 14);
    }

    [Fact]
    public void Interpolant_schedules_have_consistent_drift_diffusion_and_inverse_log_snr()
    {
        foreach (var s in new[] { new InterpolantSchedule(false, 0), new InterpolantSchedule(false, 1), new InterpolantSchedule(true, 0.5) })
        {
            foreach (double t in new[] { 0.05, 0.3, 0.6, 0.9 })
            {
                double h = 1e-6;
                double f = (s.LogAlpha(t + h) - s.LogAlpha(t - h)) / (2 * h);
                double ds2 = (Math.Pow(s.Sigma(t + h), 2) - Math.Pow(s.Sigma(t - h), 2)) / (2 * h);
                Assert.Equal(f, s.DriftCoefficient(t), 6);
                Assert.Equal(ds2 - 2 * f * s.Sigma(t) * s.Sigma(t), s.DiffusionSquared(t), 6);
                Assert.Equal(t, s.TimeOfLogSnr(s.LogSnr(t)), 9);
                double b = s.Beta(t), g = s.Gamma(t);
                Assert.Equal(Math.Sqrt(b * b + g * g), s.Sigma(t), 14);
            }
        }
    }
}

/// <summary>The tunable-diffusion sampler (the interpolant's ε(t) knob) keeps the marginals for every ε.</summary>
public class TunableNoiseSamplerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Every_noise_scale_samples_the_target_and_scale_one_is_Euler_Maruyama()
    {
        var mixture = Drift.Generative.Oracles.StandardMixtures.Get("skewed2d");
        var schedule = new InterpolantSchedule(true, 0.5);
        var model = mixture.AsModel(schedule, Prediction.Velocity);
        var grid = Drift.Generative.Grids.SamplingGrid.Create(schedule, 100, Drift.Generative.Grids.GridSpacing.LogSnr);
        int n = 600;
        double[] Run(Drift.Generative.Samplers.DiffusionSampler sampler)
        {
            var x = new double[2 * n];
            mixture.Sample(grid.Alpha(0), grid.Sigma(0), 5, 0, x, n);
            sampler.Sample(model, grid, x, n, seed: 6);
            return x;
        }
        var exact = new double[2 * n];
        var other = new double[2 * n];
        mixture.Sample(1, 0, 7, 0, exact, n);
        mixture.Sample(1, 0, 8, 0, other, n);
        double floor = Drift.Generative.Metrics.SampleMetrics.SlicedWasserstein2(exact, other, n, 2);
        foreach (double c in new[] { 0.0, 1.0, 4.0 })
        {
            double sw = Drift.Generative.Metrics.SampleMetrics.SlicedWasserstein2(Run(new Drift.Generative.Samplers.TunableNoiseSampler(c)), exact, n, 2);
            output.WriteLine($"noise scale {c}: sliced W2 {sw:G4} (floor {floor:G4})");
            Assert.True(sw < 2 * floor, $"scale {c}: sliced W2 {sw} vs floor {floor}");
        }
        Assert.Equal(Run(new Drift.Generative.Samplers.EulerMaruyamaSampler()), Run(new Drift.Generative.Samplers.TunableNoiseSampler(1.0)));
    }
}
