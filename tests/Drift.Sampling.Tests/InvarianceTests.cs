using Drift.Random;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

/// <summary>
/// Exact stationarity: start many independent chains at exact draws of a non-Gaussian target, apply a few transitions
/// with fixed tuning (no adaptation, so the kernel is a fixed Markov kernel), and check that the law is unchanged.
/// Chains are independent, so the standard error of a moment over chains is the iid one. A kernel that is not
/// π-invariant (a wrong multinomial weight, U-turn rule or Metropolis ratio) shifts these moments.
/// </summary>
public class InvarianceTests(ITestOutputHelper output)
{
    private const int Chains = 3000, Transitions = 4;
    private const double S = 1, B = 0.8; // banana: θ₁ ~ N(0, 1), θ₂ | θ₁ ~ N(0.8(θ₁² − 1), 1)

    private static double[] ExactDraws(ulong seed)
    {
        var init = new double[2 * Chains];
        for (int c = 0; c < Chains; c++)
        {
            var draws = new StepDraws(seed, (ulong)c, 0);
            double t1 = S * draws.NextNormal();
            init[2 * c] = t1;
            init[2 * c + 1] = B * (t1 * t1 - S * S) + draws.NextNormal();
        }
        return init;
    }

    public static TheoryData<SamplerKind, IntegratorKind, double> Kernels() => new()
    {
        { SamplerKind.Nuts, IntegratorKind.Leapfrog, 0.35 },
        { SamplerKind.Nuts, IntegratorKind.Yoshida, 0.6 },
        { SamplerKind.Hmc, IntegratorKind.McLachlan, 0.3 },
        { SamplerKind.Mala, IntegratorKind.Leapfrog, 0.8 },
        { SamplerKind.Rwm, IntegratorKind.Leapfrog, 1.5 },
        { SamplerKind.Ghmc, IntegratorKind.Leapfrog, 0.6 },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_leaves_the_banana_invariant(SamplerKind sampler, IntegratorKind integrator, double step)
    {
        var target = new Banana(S, B);
        var options = new McmcOptions
        {
            Sampler = sampler, Integrator = integrator, Chains = Chains, Warmup = 0, Draws = Transitions, StepSize = step,
            AdaptStepSize = false, Metric = MetricKind.Unit, HmcSteps = 5, Seed = 31, Initial = ExactDraws(30),
        };
        var r = Mcmc.Sample(target, options);
        double varT2 = 1 + 2 * B * B * Math.Pow(S, 4);
        // Moments after the last transition, with their exact values: E θ₁ = 0, E θ₁² = 1, E θ₂ = 0, E θ₂² = 1 + 2b²,
        // E θ₁²θ₂ = b E[θ₁²(θ₁² − 1)] = 2b, E θ₁⁴ = 3.
        (string, Func<double, double, double>, double)[] moments =
        [
            ("E t1", (a, _) => a, 0), ("E t1^2", (a, _) => a * a, S * S), ("E t2", (_, b) => b, 0),
            ("E t2^2", (_, b) => b * b, varT2), ("E t1^2 t2", (a, b) => a * a * b, 2 * B), ("E t1^4", (a, _) => a * a * a * a, 3),
        ];
        double moved = 0;
        foreach (var (name, f, truth) in moments)
        {
            var v = Enumerable.Range(0, Chains).Select(c => f(r.Draw(c, Transitions - 1, 0), r.Draw(c, Transitions - 1, 1))).ToArray();
            double mean = v.Average(), se = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (Chains - 1) / Chains);
            double z = (mean - truth) / se;
            output.WriteLine($"{sampler}/{integrator}: {name} = {mean:F4} (truth {truth:F4}), z = {z:F2}");
            Assert.True(Math.Abs(z) < 4.5, $"{name}: {mean} vs {truth}, z = {z:F2}");
        }
        for (int c = 0; c < Chains; c++) moved += r.Draw(c, Transitions - 1, 0) != options.Initial[2 * c] ? 1 : 0;
        output.WriteLine($"fraction of chains that moved: {moved / Chains:F3}, mean accept {r.MeanAcceptStat:F3}");
        Assert.True(moved / Chains > 0.5, "the kernel must actually move the chains for the check to mean anything");
    }

    [Fact]
    public void The_check_detects_a_kernel_that_is_not_invariant()
    {
        // ULA is not π-invariant: on N(0, 1) with ε = 1 its variance map is v ↦ (1 − ε²/2)² v + ε², so from exact draws
        // four transitions give Var ≈ 1.33, which the same moment check must reject.
        var init = new double[2 * Chains];
        for (int c = 0; c < Chains; c++)
        {
            var draws = new StepDraws(30, (ulong)c, 0);
            init[2 * c] = draws.NextNormal();
            init[2 * c + 1] = draws.NextNormal();
        }
        var options = new McmcOptions
        {
            Sampler = SamplerKind.Ula, Chains = Chains, Warmup = 0, Draws = Transitions, StepSize = 1.0,
            AdaptStepSize = false, Metric = MetricKind.Unit, Seed = 31, Initial = init,
        };
        var r = Mcmc.Sample(DiagonalGaussian.Standard(2), options);
        var v = Enumerable.Range(0, Chains).Select(c => Math.Pow(r.Draw(c, Transitions - 1, 0), 2)).ToArray();
        double mean = v.Average(), se = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (Chains - 1) / Chains);
        double exact = 1.0;
        for (int k = 0; k < Transitions; k++) exact = 0.25 * exact + 1;
        output.WriteLine($"ULA E x^2 = {mean:F4} (its own exact value {exact:F4}), z against 1 = {(mean - 1) / se:F2}");
        Assert.True(Math.Abs(mean - 1) / se > 6);
        Assert.True(Math.Abs(mean - exact) / se < 4.5);
    }
}
