using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

/// <summary>
/// OBABO with and without the Metropolis test on N(0, I₂) at a step where the unadjusted kernel is visibly biased:
/// for U = q²/2 one OBABO step is an O-step, a leapfrog step and an O-step, and the stationary position variance of
/// the unadjusted chain is 1/(1 − ε²/4) (leapfrog's modified energy is conserved by the O-steps' invariant law),
/// 1.333 at ε = 1. The adjusted kernel (generalised HMC) must give variance 1 within MCSE, the unadjusted one its own
/// biased variance within MCSE and be far from 1. 4 chains × 2000 draws, fixed ε, friction 1 (tens of ms).
/// </summary>
public class UnderdampedLangevinTests(ITestOutputHelper output)
{
    private static McmcResult Run(SamplerKind sampler, double step) => Mcmc.Sample(new DiagonalGaussian([0.0, 0.0], [1.0, 1.0]), new McmcOptions
    {
        Sampler = sampler, Chains = 4, Warmup = 200, Draws = 2000, StepSize = step, AdaptStepSize = false, Metric = MetricKind.Unit,
        Friction = 1, Seed = 11,
    });

    [Fact]
    public void Adjusted_obabo_is_exact_where_unadjusted_obabo_is_biased()
    {
        const double step = 1.0, biased = 1 / (1 - step * step / 4);
        var adjusted = Run(SamplerKind.Ghmc, step);
        Clt.MeansAndVariances(adjusted, _ => 0, _ => 1, output);
        output.WriteLine($"GHMC mean accept {adjusted.MeanAcceptStat:F3}");

        var unadjusted = Run(SamplerKind.Obabo, step);
        Clt.MeansAndVariances(unadjusted, _ => 0, _ => biased, output);
        for (int i = 0; i < 2; i++)
        {
            int k = i;
            var squares = unadjusted.Function(p => p[k] * p[k]);
            double z = Clt.Z(squares, 1);
            output.WriteLine($"unadjusted Var x[{k + 1}] against the target's 1: z = {z:F1}");
            Assert.True(z > 8, $"the unadjusted kernel's bias must be visible: z = {z:F1}");
        }
    }

    [Fact]
    public void Warmup_adapts_the_step_of_ghmc_and_it_samples_a_correlated_gaussian()
    {
        var target = new MultivariateGaussian([1.0, -1.0, 0.5], [1, 0.7, 0.7 * 0.7, 0.7, 1, 0.7, 0.7 * 0.7, 0.7, 1]);
        var r = Mcmc.Sample(target, new McmcOptions { Sampler = SamplerKind.Ghmc, Chains = 4, Warmup = 500, Draws = 1500, Metric = MetricKind.Dense, Seed = 5, Friction = 0.5 });
        Clt.MeansAndVariances(r, i => i == 0 ? 1 : i == 1 ? -1 : 0.5, _ => 1, output);
        // Dual averaging's final ε = e^x̄ is conservative, as for Stan's NUTS: acceptance ends above δ (0.93 measured).
        output.WriteLine($"accept {r.MeanAcceptStat:F3} (target 0.8), step {r.Adaptation(0).StepSize:F3}");
        Assert.InRange(r.MeanAcceptStat, 0.75, 0.98);
    }

    /// <summary>
    /// UBU with and without the Metropolis test on an anisotropic N(0, diag(1, 0.25)) at ε = 0.75, γ = 1, unit metric:
    /// the stiff coordinate has εω = 1.5. The unadjusted chain's stationary law is Gaussian with a closed form — the
    /// transition B U B is linear with Gaussian noise, so its covariance solves C = T C Tᵀ + N (a discrete Lyapunov
    /// equation, solved with scipy in /tmp while writing this test: Var/σ² = 1.05365 and 1.40169). The unadjusted
    /// chain must match that bias within MCSE (the U-step and the metric shaping are right) and sit far from Σ; the
    /// adjusted chain must match Σ within MCSE. 4 chains × 3000 draws (about 0.1 s).
    /// </summary>
    [Fact]
    public void Adjusted_ubu_is_exact_on_an_anisotropic_gaussian_where_unadjusted_ubu_is_biased()
    {
        double[] sd = [1.0, 0.5], factor = [1.0536512172948018, 1.4016862769468712];
        McmcResult Ubu(SamplerKind sampler) => Mcmc.Sample(new DiagonalGaussian([0.0, 0.0], sd), new McmcOptions
        {
            Sampler = sampler, Chains = 4, Warmup = 200, Draws = 3000, StepSize = 0.75, AdaptStepSize = false, Metric = MetricKind.Unit,
            Friction = 1, Seed = 3,
        });
        var adjusted = Ubu(SamplerKind.MaUbu);
        Clt.MeansAndVariances(adjusted, _ => 0, i => sd[i] * sd[i], output);
        output.WriteLine($"MaUBU mean accept {adjusted.MeanAcceptStat:F3}");
        Assert.InRange(adjusted.MeanAcceptStat, 0.3, 0.99);

        var unadjusted = Ubu(SamplerKind.Ubu);
        Clt.MeansAndVariances(unadjusted, _ => 0, i => factor[i] * sd[i] * sd[i], output);
        var squares = unadjusted.Function(p => p[1] * p[1]);
        double z = Clt.Z(squares, sd[1] * sd[1]);
        output.WriteLine($"unadjusted Var x[2] against the target's 0.25: z = {z:F1}");
        Assert.True(z > 8, $"the unadjusted kernel's bias must be visible: z = {z:F1}");
    }

    [Fact]
    public void Adjusted_ubu_with_a_dense_metric_and_warmup_samples_a_correlated_gaussian()
    {
        var target = new MultivariateGaussian([1.0, -1.0, 0.5], [1, 0.7, 0.7 * 0.7, 0.7, 1, 0.7, 0.7 * 0.7, 0.7, 1]);
        var r = Mcmc.Sample(target, new McmcOptions { Sampler = SamplerKind.MaUbu, Chains = 4, Warmup = 500, Draws = 1500, Metric = MetricKind.Dense, Seed = 5 });
        Clt.MeansAndVariances(r, i => i == 0 ? 1 : i == 1 ? -1 : 0.5, _ => 1, output);
        output.WriteLine($"accept {r.MeanAcceptStat:F3} (target 0.8), step {r.Adaptation(0).StepSize:F3}");
    }
}
