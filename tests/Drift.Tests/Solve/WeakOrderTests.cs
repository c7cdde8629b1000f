using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

public class WeakOrderTests
{
    [Fact]
    public void Euler_Maruyama_has_weak_order_one_on_the_first_two_moments_of_GBM()
    {
        // For EM on GBM, E X_N = (1 + μh)^N and E X_N² = ((1 + μh)² + σ²h)^N exactly: the Monte Carlo
        // estimates must match these within 4.5 standard errors, and their distance to the true moments
        // e^{μT} and e^{(2μ + σ²)T} must fall as h¹.
        const double mu = 1.5, sigma = 0.5;
        var gbm = new GeometricBrownianMotion(mu, sigma);
        var problem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
        var h = new List<double>();
        var meanError = new List<double>();
        var secondError = new List<double>();
        foreach (int n in new[] { 4, 8, 16, 32 })
        {
            var solution = DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(n), Paths = 1 << 20, Seed = 99, KeepPaths = true, TrackQuantiles = false });
            var x = solution.PathsAt(0, 0).ToArray();
            var moments = solution.Final(0);
            double step = 1.0 / n;
            Assert.True(Math.Abs(moments.Mean - Math.Pow(1 + mu * step, n)) < 4.5 * moments.StandardError, $"N = {n}: mean {moments.Mean} vs {Math.Pow(1 + mu * step, n)}");
            var squares = x.Select(v => v * v).ToArray();
            double m2 = squares.Average();
            double se2 = Math.Sqrt(squares.Select(v => (v - m2) * (v - m2)).Sum() / (squares.Length - 1) / squares.Length);
            double expected2 = Math.Pow((1 + mu * step) * (1 + mu * step) + sigma * sigma * step, n);
            Assert.True(Math.Abs(m2 - expected2) < 4.5 * se2, $"N = {n}: second moment {m2} vs {expected2}");
            h.Add(step);
            meanError.Add(Math.Abs(moments.Mean - Math.Exp(mu)));
            secondError.Add(Math.Abs(m2 - Math.Exp(2 * mu + sigma * sigma)));
        }
        Assert.InRange(StatisticalTests.LogLogSlope(h, meanError), 0.75, 1.25);
        Assert.InRange(StatisticalTests.LogLogSlope(h, secondError), 0.75, 1.25);
    }

    [Fact]
    public void Ornstein_Uhlenbeck_ensemble_matches_its_exact_mean_and_variance()
    {
        var ou = new OrnsteinUhlenbeck(1.0, 2.0, 0.5);
        var problem = new SdeProblem<OrnsteinUhlenbeck, OrnsteinUhlenbeck>(ou, ou, [0.0], 0, 2);
        var solution = DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 200_000, Seed = 3 });
        var m = solution.Final(0);
        Assert.True(Math.Abs(m.Mean - ou.Mean(0, 2)) < 4.5 * m.StandardError);
        double varianceSe = ou.Variance(2) * Math.Sqrt(2.0 / (m.Count - 1));
        Assert.True(Math.Abs(m.Variance - ou.Variance(2)) < 4.5 * varianceSe);
        // The median of a Gaussian is its mean.
        Assert.True(Math.Abs(solution.Quantile(0, 0, 0.5) - ou.Mean(0, 2)) < 0.01);
    }
}
