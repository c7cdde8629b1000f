using Drift.Generative.Likelihood;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Solve.Adaptive;
using Drift.Statistics;

namespace Drift.Generative.Tests.Likelihood;

public class LikelihoodTests
{
    [Theory]
    [InlineData(DivergenceEstimator.Exact, Prediction.Data)]
    [InlineData(DivergenceEstimator.Exact, Prediction.Noise)]
    public void Probability_flow_log_density_matches_the_oracle(DivergenceEstimator estimator, Prediction prediction)
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new VpLinearSchedule();
        var model = m.AsModel(sch, prediction);
        double eps = 0.01, big = 1.0;
        const int n = 6;
        var x = new double[n * 2];
        m.Sample(sch.Alpha(eps), sch.Sigma(eps), 8, 0, x, n);
        var truth = new double[n];
        model.LogDensity(eps, x, truth, n);
        var ell = ProbabilityFlowLikelihood.IntegrateDivergence(model, x, n, eps, big, 200, estimator);
        var prior = new double[n];
        model.LogDensity(big, x, prior, n);
        for (int s = 0; s < n; s++) Assert.Equal(truth[s], prior[s] + ell[s], 2e-3);
    }

    [Theory]
    [InlineData("tsit5", Prediction.Data, false)]
    [InlineData("dopri5", Prediction.Noise, false)]
    [InlineData("tsit5", Prediction.Data, true)]
    public void Adaptive_probability_flow_log_density_matches_the_oracle_and_tightens_with_tolerance(string method, Prediction prediction, bool finiteDifferences)
    {
        var m = StandardMixtures.Get("skewed2d");
        var sch = new VpLinearSchedule();
        IDiffusionModel model = m.AsModel(sch, prediction);
        if (finiteDifferences) model = new NoDivergence(model);
        double eps = 0.01, big = 1.0;
        const int n = 6;
        var start = new double[n * 2];
        m.Sample(sch.Alpha(eps), sch.Sigma(eps), 8, 0, start, n);
        var truth = new double[n];
        m.AsModel(sch).LogDensity(eps, start, truth, n);
        double previous = double.PositiveInfinity;
        foreach (double tol in new[] { 1e-4, 1e-8 })
        {
            var x = (double[])start.Clone();
            var controller = new PidController { RelativeTolerance = tol, AbsoluteTolerance = tol };
            var nfe = new long[n];
            var ell = method == "tsit5"
                ? AdaptiveProbabilityFlowLikelihood.IntegrateDivergence(model, x, n, eps, big, new Tsitouras5(), controller, nfe)
                : AdaptiveProbabilityFlowLikelihood.IntegrateDivergence(model, x, n, eps, big, new DormandPrince5(), controller, nfe);
            var prior = new double[n];
            m.AsModel(sch).LogDensity(big, x, prior, n);
            double worst = 0;
            for (int s = 0; s < n; s++) worst = Math.Max(worst, Math.Abs(truth[s] - prior[s] - ell[s]));
            Assert.True(worst < 1000 * tol, $"log-density error {worst} at tolerance {tol}");
            Assert.True(worst < previous);
            Assert.All(nfe, v => Assert.True(v > 10));
            previous = worst;
        }
    }

    [Fact]
    public void Finite_difference_divergence_matches_the_analytic_one()
    {
        var m = StandardMixtures.Get("ring8");
        var sch = new VpLinearSchedule();
        var model = m.AsModel(sch, Prediction.Noise);
        double[] x = [2.5, 0.7, -1.0, 2.0];
        var exact = new double[2];
        model.ScoreDivergence(0.1, x, exact, 2);
        var fd = new double[2];
        var wrapped = new NoDivergence(model);
        ProbabilityFlowLikelihood.ScoreDivergence(wrapped, 0.1, x, fd, 2, DivergenceEstimator.Exact);
        Assert.Equal(exact[0], fd[0], 1e-4 * Math.Abs(exact[0]));
        Assert.Equal(exact[1], fd[1], 1e-4 * Math.Abs(exact[1]));
    }

    [Theory]
    [InlineData(DivergenceEstimator.HutchinsonRademacher)]
    [InlineData(DivergenceEstimator.HutchinsonGaussian)]
    public void Hutchinson_is_unbiased_and_its_variance_falls_as_one_over_probes(DivergenceEstimator estimator)
    {
        var m = StandardMixtures.Get("mix16");
        var sch = new VpLinearSchedule();
        var model = m.AsModel(sch);
        const int reps = 3000;
        var point = new double[16];
        m.Sample(sch.Alpha(0.2), sch.Sigma(0.2), 1, 0, point, 1);
        var x = new double[reps * 16];
        for (int r = 0; r < reps; r++) point.CopyTo(x, r * 16);
        var exact = new double[1];
        model.ScoreDivergence(0.2, point, exact, 1);
        var variances = new List<double>();
        foreach (int probes in new[] { 1, 4, 16 })
        {
            var div = new double[reps];
            ProbabilityFlowLikelihood.ScoreDivergence(new NoDivergence(model), 0.2, x, div, reps, estimator, probes, seed: (ulong)probes);
            var mom = Moments.Of(div);
            Assert.InRange(mom.Mean - exact[0], -5 * mom.StandardError, 5 * mom.StandardError);
            variances.Add(mom.Variance * probes);
        }
        // Var·P is constant; the sample variance of 3000 draws has relative SE ≈ √(2/3000)·√(kurtosis) ≈ 5%.
        Assert.InRange(variances[1] / variances[0], 0.75, 1.33);
        Assert.InRange(variances[2] / variances[0], 0.75, 1.33);
    }

    /// <summary>Hides a model's analytic divergence so the estimators are exercised.</summary>
    private sealed class NoDivergence(IDiffusionModel inner) : IDiffusionModel
    {
        public int Dimension => inner.Dimension;
        public NoiseSchedule Schedule => inner.Schedule;
        public Prediction Prediction => inner.Prediction;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples) => inner.Evaluate(t, x, output, samples);
    }
}
