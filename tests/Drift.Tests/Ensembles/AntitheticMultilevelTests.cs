using Drift.Ensembles.Multilevel;
using Drift.Solve;
using Xunit.Abstractions;

namespace Drift.Tests.Ensembles;

/// <summary>φ(x) = cos x₁ + x₂²: smooth, so the antithetic coupling's theory (β = 2) applies.</summary>
internal readonly struct SmoothPayoff : ITerminalPayoff
{
    public void Evaluate(ReadOnlySpan<double> x, Span<double> values, int paths)
    {
        for (int p = 0; p < paths; p++) values[p] = Math.Cos(x[p]) + x[paths + p] * x[paths + p];
    }
}

public class AntitheticMultilevelTests(ITestOutputHelper output)
{
    private static readonly SdeProblem<NonCommutativeSde, NonCommutativeSde> Problem = new(default, default, [0.5, -0.5], 0, 1);

    private static double[] LevelVariances(MilsteinCoupling coupling, int[] levels, int samples)
    {
        var sampler = new MilsteinMultilevel<NonCommutativeSde, NonCommutativeSde, SmoothPayoff>(Problem, default, coupling, 77);
        var result = new double[levels.Length];
        for (int i = 0; i < levels.Length; i++)
        {
            int level = levels[i];
            var scratch = new double[sampler.ScratchLength(level, samples)];
            var fine = new double[samples];
            var coarse = new double[samples];
            sampler.Sample(level, 0, scratch, fine, coarse);
            var y = fine.Zip(coarse, (f, c) => f - c).ToArray();
            double mean = y.Average();
            result[i] = y.Sum(v => (v - mean) * (v - mean)) / (samples - 1);
        }
        return result;
    }

    [Fact]
    public void Antithetic_coupling_variance_decays_as_h_squared_and_the_plain_coupling_as_h()
    {
        int[] levels = [4, 5, 6, 7];
        const int samples = 2000;
        var antithetic = LevelVariances(MilsteinCoupling.Antithetic, levels, samples);
        var plain = LevelVariances(MilsteinCoupling.Plain, levels, samples);
        var h = levels.Select(l => Math.Pow(2, -l)).ToArray();
        double betaAntithetic = StatisticalTests.LogLogSlope(h, antithetic), betaPlain = StatisticalTests.LogLogSlope(h, plain);
        output.WriteLine($"beta antithetic {betaAntithetic:F3} ({string.Join(", ", antithetic.Select(v => v.ToString("E2")))}); plain {betaPlain:F3} ({string.Join(", ", plain.Select(v => v.ToString("E2")))})");
        Assert.True(Math.Abs(betaAntithetic - 2) <= 0.25, $"antithetic beta {betaAntithetic:F3}");
        Assert.True(Math.Abs(betaPlain - 1) <= 0.25, $"plain beta {betaPlain:F3}");
    }

    [Fact]
    public void Both_couplings_estimate_the_same_mean_through_the_multilevel_driver_and_antithetic_costs_less()
    {
        var options = new MultilevelOptions { TargetRmse = 4e-3, InitialSamples = 500, MinLevel = 2, MaxLevel = 10 };
        var antithetic = MultilevelMonteCarlo.Estimate(new MilsteinMultilevel<NonCommutativeSde, NonCommutativeSde, SmoothPayoff>(Problem, default, MilsteinCoupling.Antithetic, 3), options);
        var plain = MultilevelMonteCarlo.Estimate(new MilsteinMultilevel<NonCommutativeSde, NonCommutativeSde, SmoothPayoff>(Problem, default, MilsteinCoupling.Plain, 4), options);
        output.WriteLine($"antithetic {antithetic.Price:F5} ± {antithetic.StandardError:E2}, beta {antithetic.Beta:F2}, cost {antithetic.PathSteps:E2}, L = {antithetic.Levels.Count - 1}; " +
            $"plain {plain.Price:F5} ± {plain.StandardError:E2}, beta {plain.Beta:F2}, cost {plain.PathSteps:E2}, L = {plain.Levels.Count - 1}");
        Assert.Equal(SolveStatus.Success, antithetic.Status);
        Assert.Equal(SolveStatus.Success, plain.Status);
        Assert.True(Math.Abs(antithetic.Price - plain.Price) < 3 * Math.Sqrt(2) * options.TargetRmse, $"{antithetic.Price} vs {plain.Price}");
        Assert.True(antithetic.PathSteps < plain.PathSteps, $"cost {antithetic.PathSteps} vs {plain.PathSteps}");
    }

    [Fact]
    public void Bad_problems_are_refused()
    {
        var strat = new SdeProblem<NonCommutativeSde, NonCommutativeSde>(default, default, [0.0, 0.0], 0, 1, Calculus.Stratonovich);
        Assert.Equal("problem", Assert.Throws<ArgumentException>(() => new MilsteinMultilevel<NonCommutativeSde, NonCommutativeSde, SmoothPayoff>(strat, default, MilsteinCoupling.Antithetic, 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MilsteinMultilevel<NonCommutativeSde, NonCommutativeSde, SmoothPayoff>(Problem, default, (MilsteinCoupling)7, 1));
    }
}
