using Drift.Brownian.Fractional;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;
using Xunit.Abstractions;

namespace Drift.Tests.Brownian;

public class FractionalSdeTests(ITestOutputHelper output)
{
    private const int Fine = 1024, Paths = 200;

    /// <summary>
    /// dX = μX dt + σX dB^H (Young) has X_T = x₀ exp(μT + σB^H_T) on the same sampled path; Euler's pathwise error is
    /// ≈ ½σ²T h^{2H−1}X_T (from Σ(ΔB^H)² ≈ T h^{2H−1}), so the fitted rate must be 2H − 1.
    /// </summary>
    [Theory]
    [InlineData(0.75)]
    [InlineData(0.9)]
    public void Euler_on_fBM_driven_linear_SDE_converges_pathwise_at_rate_2H_minus_1(double hurst)
    {
        const double mu = 0.2, sigma = 0.5;
        var gbm = new GeometricBrownianMotion(mu, sigma);
        var problem = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
        var increments = new FractionalBrownianIncrements(12, hurst, 0, 1, Fine);
        var endpoint = new double[Fine];
        var exact = new double[Paths];
        for (int p = 0; p < Paths; p++)
        {
            increments.Path(p, 0, endpoint);
            exact[p] = Math.Exp(mu + sigma * endpoint[^1]);
        }
        int[] steps = [8, 16, 32, 64, 128, 256];
        var error = new double[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var solution = DiffEq.Solve(problem, new EulerMaruyama(), increments, new SolveOptions { Controller = ConstantStep.WithSteps(steps[i]), Paths = Paths, KeepPaths = true, TrackQuantiles = false });
            Assert.Equal(SolveStatus.Success, solution.Status);
            var x = solution.PathsAt(solution.Times.Count - 1, 0).ToArray();
            error[i] = x.Zip(exact, (a, b) => Math.Abs(a - b)).Average();
        }
        double slope = StatisticalTests.LogLogSlope(steps.Select(n => 1.0 / n).ToArray(), error);
        output.WriteLine($"H = {hurst}: rate {slope:F3}, errors {string.Join(", ", error.Select(e => e.ToString("E2")))}");
        Assert.True(Math.Abs(slope - (2 * hurst - 1)) <= 0.2, $"H = {hurst}: rate {slope:F3}, theory {2 * hurst - 1}");
    }

    [Fact]
    public void Increments_add_up_to_the_sampled_path_and_scope_is_enforced()
    {
        var increments = new FractionalBrownianIncrements(3, 0.7, 0, 2, 64);
        var path = new double[64];
        increments.Path(5, 1, path);
        double[] grid = [0, 0.5, 1.0, 1.5, 2.0];
        var dW = new double[4 * 2 * 3];
        increments.Fill(4, 3, grid, 0, 4, 2, dW, default, 3);
        double sum = 0;
        for (int s = 0; s < 4; s++) sum += dW[(s * 2 + 1) * 3 + 1];
        Assert.Equal(path[^1], sum, 1e-12);
        Assert.Equal(path[15], dW[(0 * 2 + 1) * 3 + 1], 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FractionalBrownianIncrements(1, 0.5, 0, 1, 8));
        Assert.Throws<ArgumentException>(() => increments.Fill(0, 1, [0, 0.3], 0, 1, 1, new double[1], default, 1));
        Assert.Equal("levy", Assert.Throws<ArgumentException>(() => increments.Fill(0, 1, grid, 0, 1, 1, new double[1], new double[1], 1)).ParamName);
    }
}
