using Xunit.Abstractions;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve.Events;

/// <summary>dX = μ dt + σ dW (additive noise).</summary>
internal readonly struct DriftedBrownianMotion(double mu, double sigma) : IDrift, IDiffusion
{
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Additive;

    void IDrift.Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => dx[..paths].Fill(mu);

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Fill(sigma);
}

/// <summary>
/// First passage of Brownian motion with drift through a level, located by a terminal event on the fixed-step SDE
/// grid: T = inf{t : X_t = a} for X₀ = 0, dX = μ dt + σ dW, a &gt; 0, μ &gt; 0 is inverse Gaussian with mean m = a/μ and
/// shape λ = a²/σ², F(t) = Φ(√(λ/t)(t/m − 1)) + e^{2λ/m} Φ(−√(λ/t)(t/m + 1)) (Schrödinger 1915; Folks &amp; Chhikara 1978).
/// </summary>
public class FirstPassageTests(ITestOutputHelper output)
{
    private const double Mu = 1, Sigma = 1, Level = 1, Horizon = 3;

    private static double InverseGaussianCdf(double t)
    {
        double m = Level / Mu, lambda = Level * Level / (Sigma * Sigma), r = Math.Sqrt(lambda / t);
        return StatisticalTests.NormalCdf(r * (t / m - 1)) + Math.Exp(2 * lambda / m) * StatisticalTests.NormalCdf(-r * (t / m + 1));
    }

    [Fact]
    public void Event_located_first_passage_times_follow_the_inverse_Gaussian_law()
    {
        const int paths = 800;
        const double dt = 5e-4;
        var events = ContinuousEvents.Create(new Level(0, Level), EventDirection.Up);
        var solution = DiffEq.Solve(Sde.Problem(new DriftedBrownianMotion(Mu, Sigma), [0.0], 0, Horizon), new EulerMaruyama(),
            new SolveOptions { Controller = ConstantStep.WithSize(dt), Paths = paths, Seed = 2026, Events = events, KeepPaths = true });
        Assert.Equal(SolveStatus.Success, solution.Status);
        var times = solution.Events.Select(e => e.Time).ToArray();
        Assert.All(solution.Events, e => Assert.True(e.Terminated));
        Assert.Equal(times.Length, solution.Events.Select(e => e.Path).Distinct().Count());

        // Paths that never reached the level by the horizon: binomial with P(T > 3) = 1 − F(3), within 4 standard errors.
        double survive = 1 - InverseGaussianCdf(Horizon);
        double missing = paths - times.Length, sd = Math.Sqrt(paths * survive * (1 - survive));
        Assert.True(Math.Abs(missing - paths * survive) < 4 * sd + 1, $"{missing} paths did not cross; expected {paths * survive:F1} ± {sd:F1}");

        // The located times, conditioned on T ≤ 3, against F(t)/F(3); on this grid they are late by about 0.5826σ√h/μ ≈ 0.013.
        double fHorizon = InverseGaussianCdf(Horizon);
        double p = StatisticalTests.KolmogorovSmirnovPValue(times, t => InverseGaussianCdf(t) / fHorizon);
        output.WriteLine($"{times.Length} of {paths} paths crossed by t = {Horizon} (expected {paths * (1 - survive):F1}); KS p = {p:F3}; mean time {times.Average():F4}");
        Assert.True(p > 0.01, $"KS p-value {p:E3} for {times.Length} first-passage times");

        // Stopped paths hold the level (linear interpolation puts them on it to rounding).
        for (long path = 0; path < paths; path++)
        {
            double x = solution.State(0, path)[0];
            Assert.True(x < Level || Math.Abs(x - Level) < 1e-12, $"path {path} ends at {x}");
        }
    }

    [Fact]
    public void Adaptive_SDE_solves_refuse_events_and_say_where_they_work()
    {
        var events = ContinuousEvents.Create(new Level(0, Level), EventDirection.Up);
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(Sde.Problem(new DriftedBrownianMotion(Mu, Sigma), [0.0], 0, 1), new Sra1(),
            new SolveOptions { Controller = PidController.StochasticDefault, Events = events }));
        Assert.Contains("ConstantStep", e.Message, StringComparison.Ordinal);
    }
}
