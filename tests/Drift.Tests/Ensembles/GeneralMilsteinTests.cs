using Drift.Brownian;
using Drift.Ensembles;
using Drift.Solve;
using Xunit.Abstractions;

namespace Drift.Tests.Ensembles;

/// <summary>
/// A 2-D SDE with non-commutative noise: f(x) = −x/2, g(x) = [[cos x₂, 0.3], [0.3, sin x₁]] (column k drives W_k).
/// L^j g_k = Σ_l g_lj ∂g_k/∂x_l gives L¹g₂ = (0, cos x₂ cos x₁) and L²g₁ = (−sin x₁ sin x₂, 0): they differ, so the
/// noise does not commute and the Lévy area A₁₂ enters the Milstein expansion with coefficient L¹g₂ − L²g₁.
/// </summary>
internal readonly struct NonCommutativeSde : IDrift, IDiffusion
{
    public int Dimension => 2;
    public int NoiseDimension => 2;
    public NoiseKind Noise => NoiseKind.General;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        if (dx.Length == 2 * paths)
        {
            for (int i = 0; i < 2 * paths; i++) dx[i] = -0.5 * x[i];
            return;
        }
        for (int p = 0; p < paths; p++)
        {
            double x1 = x[p], x2 = x[paths + p];
            dx[p] = Math.Cos(x2);
            dx[paths + p] = 0.3;
            dx[2 * paths + p] = 0.3;
            dx[3 * paths + p] = Math.Sin(x1);
        }
    }
}

public class GeneralMilsteinTests(ITestOutputHelper output)
{
    private const int Fine = 512, Paths = 100;
    private static readonly int[] StepCounts = [4, 8, 16, 32];
    private static readonly SdeProblem<NonCommutativeSde, NonCommutativeSde> Problem = new(default, default, [0.5, -0.5], 0, 1);

    private static double[][] Final(int steps, bool areas, LevyAreaMethod method = LevyAreaMethod.MrongowiusRossler)
    {
        var problem = GeneralMilstein.Problem(Problem, 31, method: method, refinement: Fine / steps, levyAreas: areas);
        var solution = DiffEq.Solve(problem, default(PathStepCounters), new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = Paths, KeepPaths = true, TrackQuantiles = false });
        Assert.Equal(SolveStatus.Success, solution.Status);
        int last = solution.Times.Count - 1;
        return [solution.PathsAt(last, 0).ToArray(), solution.PathsAt(last, 1).ToArray()];
    }

    private static double Error(double[][] a, double[][] b) =>
        Enumerable.Range(0, a[0].Length).Average(p => Math.Sqrt(Math.Pow(a[0][p] - b[0][p], 2) + Math.Pow(a[1][p] - b[1][p], 2)));

    [Fact]
    public void Strong_order_is_one_with_Levy_areas_and_one_half_without_on_non_commutative_noise()
    {
        var reference = Final(Fine, true);
        var h = StepCounts.Select(n => 1.0 / n).ToArray();
        var withAreas = StepCounts.Select(n => Error(Final(n, true), reference)).ToArray();
        var without = StepCounts.Select(n => Error(Final(n, false), reference)).ToArray();
        double slope = StatisticalTests.LogLogSlope(h, withAreas), slopeWithout = StatisticalTests.LogLogSlope(h, without);
        output.WriteLine($"slopes: with areas {slope:F3} ({string.Join(", ", withAreas.Select(e => e.ToString("E2")))}), without {slopeWithout:F3} ({string.Join(", ", without.Select(e => e.ToString("E2")))})");
        Assert.True(Math.Abs(slope - 1) <= 0.25, $"with areas: slope {slope:F3}, errors {string.Join(", ", withAreas.Select(e => e.ToString("E2")))}");
        Assert.True(Math.Abs(slopeWithout - 0.5) <= 0.25, $"without areas: slope {slopeWithout:F3}, errors {string.Join(", ", without.Select(e => e.ToString("E2")))}");
        Assert.True(without[^1] > 3 * withAreas[^1], $"at h = 1/32: {without[^1]} without, {withAreas[^1]} with areas");
    }

    [Fact]
    public void Results_do_not_depend_on_threads_or_chunk_size()
    {
        var problem = GeneralMilstein.Problem(Problem, 5, terms: 3);
        var one = DiffEq.Solve(problem, default(PathStepCounters), new SolveOptions { Controller = ConstantStep.WithSteps(8), Paths = 600, Threads = 1, KeepPaths = true });
        var many = DiffEq.Solve(problem, default(PathStepCounters), new SolveOptions { Controller = ConstantStep.WithSteps(8), Paths = 600, Threads = 2, ChunkSize = 256, KeepPaths = true });
        Assert.Equal(one.PathsAt(0, 0).ToArray(), many.PathsAt(0, 0).ToArray());
        Assert.Equal(one.PathsAt(0, 1).ToArray(), many.PathsAt(0, 1).ToArray());
        Assert.Equal(8 * 600 * 3, one.Statistics.DiffusionEvaluations);
    }

    [Fact]
    public void Bad_problems_are_refused()
    {
        var strat = new SdeProblem<NonCommutativeSde, NonCommutativeSde>(default, default, [0.0, 0.0], 0, 1, Calculus.Stratonovich);
        Assert.Equal("problem", Assert.Throws<ArgumentException>(() => GeneralMilstein.Problem(strat, 1)).ParamName);
        var gbm = new Drift.Models.GeometricBrownianMotion(0.1, 0.2);
        Assert.Equal("diffusion", Assert.Throws<ArgumentException>(() => GeneralMilstein.Problem(new SdeProblem<Drift.Models.GeometricBrownianMotion, Drift.Models.GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1), 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneralMilstein.Problem(Problem, 1, refinement: 0));
    }
}
