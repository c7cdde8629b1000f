using Drift.Generative.Grids;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;
using Drift.Generative.Steering;
using Xunit.Abstractions;

namespace Drift.Generative.Tests.Steering;

/// <summary>
/// The moves of <see cref="FeynmanKacCorrector"/> against closed forms on a Gaussian, where every move is linear-Gaussian:
/// the probability-flow map (η = 0) of a 1-D Gaussian is x_t = α_t μ + √(V_t/V₀)(x₀ − α₀μ) exactly, so the measured
/// order of each move is a check of its coefficients; the particle law of the stochastic move (η = 1) is the Gaussian
/// propagated by bench/compare/fkc_closed_form.py through the *discrete* chain, which the particles must reproduce.
/// </summary>
public class FeynmanKacIntegratorTests(ITestOutputHelper output)
{
    private static readonly VpLinearSchedule Schedule = new();

    private static SamplingGrid Grid(int steps) => SamplingGrid.Create(Schedule, steps, GridSpacing.LogSnr);

    /// <summary>
    /// η = 0, β = 1 (no weights): the largest error over 5 starting points of the PF-ODE map of N(0.5, 0.3) at 10, 20, 40,
    /// 80 logSNR steps. Measured order (log₂ of successive error ratios, last pair): exponential multistep ≈ 2, the
    /// frozen-denoiser exponential move ≈ 1, and the multistep error at 80 steps below the exponential move's by 10×.
    /// A first-order correction term (a wrong φ₂, a missing h/h_prev, D_{k−1} not carried) fails the order check.
    /// </summary>
    [Fact]
    public void Probability_flow_map_is_second_order_with_the_multistep_move_and_first_order_frozen()
    {
        const double mu = 0.5, c = 0.3;
        var p = new GaussianMixture([1.0], [[mu]], [[c]]);
        var target = FeynmanKacTarget.Anneal(() => p.AsModel(Schedule), 1);
        double[] start = [-2.5, -1, 0, 0.7, 2];
        double Error(int steps, FeynmanKacIntegrator integrator)
        {
            var grid = Grid(steps);
            var res = FeynmanKacCorrector.Run(target, grid, start, new FeynmanKacCorrectorOptions { Noise = 0, Integrator = integrator, EssThreshold = 0 });
            double a0 = grid.Alpha(0), s0 = grid.Sigma(0), aN = grid.Alpha(steps), sN = grid.Sigma(steps);
            double ratio = Math.Sqrt((aN * aN * c + sN * sN) / (a0 * a0 * c + s0 * s0));
            return start.Select((x0, i) => Math.Abs(res.Samples[i] - (aN * mu + ratio * (x0 - a0 * mu)))).Max();
        }
        int[] steps = [10, 20, 40, 80];
        double Order(FeynmanKacIntegrator integrator, out double last)
        {
            var e = steps.Select(s => Error(s, integrator)).ToArray();
            output.WriteLine($"{integrator}: errors {string.Join(", ", e.Select(v => v.ToString("E3")))}");
            last = e[^1];
            return Math.Log2(e[^2] / e[^1]);
        }
        double multistep = Order(FeynmanKacIntegrator.ExponentialMultistep, out double multistepError);
        double frozen = Order(FeynmanKacIntegrator.Exponential, out double frozenError);
        output.WriteLine($"orders: multistep {multistep:F3}, exponential {frozen:F3}");
        Assert.InRange(multistep, 1.7, 2.3);
        Assert.InRange(frozen, 0.7, 1.3);
        Assert.True(multistepError * 10 < frozenError, $"multistep {multistepError} vs exponential {frozenError} at 80 steps");
    }

    /// <summary>
    /// η = 1, β = 1, gauss2d, 20 logSNR steps, 5000 particles from q_{t₀}: the sample covariance equals the closed-form law
    /// of the discrete multistep chain (fkc_closed_form.py: [[0.471415, 0.294817], [0.294817, 0.235561]], relative error
    /// 0.178 of the exact [[0.400066, 0.249973], [0.249973, 0.200088]]; the frozen exponential chain's 0.357 with
    /// (0, 0) = 0.257387; Euler–Maruyama's 0.187 with 0.47478, too close to resolve at this N) within 4.5 SE
    /// (Var Ĉ_ij = (C_ii C_jj + C_ij²)/N), and its (0, 0) entry is more than 4.5 SE from the exact value (7.6 SE) and the
    /// exponential chain's (23 SE). At 30 steps and 40000 particles the same check gave 0.42989, 0.26809, 0.21465 against
    /// the chain's 0.430514, 0.269045, 0.215278.
    /// </summary>
    [Fact]
    public void Particle_law_is_the_closed_form_law_of_the_discrete_multistep_chain()
    {
        const int n = 5000, steps = 20;
        var p = StandardMixtures.Get("gauss2d");
        var grid = Grid(steps);
        var start = GaussianMixtureProduct.Noised(p, grid.Alpha(0), grid.Sigma(0));
        var x = new double[2 * n];
        start.Sample(1, 0, 11, 0, x, n);
        var res = FeynmanKacCorrector.Run(FeynmanKacTarget.Anneal(() => p.AsModel(Schedule), 1), grid, x,
            new FeynmanKacCorrectorOptions { Seed = 11, Integrator = FeynmanKacIntegrator.ExponentialMultistep });
        double[] chain = [0.471415, 0.294817, 0.235561];
        var m = res.Mean();
        double cxx = 0, cxy = 0, cyy = 0;
        for (int i = 0; i < n; i++)
        {
            double a = res.Samples[2 * i] - m[0], b = res.Samples[2 * i + 1] - m[1];
            cxx += a * a / n;
            cxy += a * b / n;
            cyy += b * b / n;
        }
        double[] measured = [cxx, cxy, cyy];
        double[] se = [Math.Sqrt(2 * chain[0] * chain[0] / n), Math.Sqrt((chain[0] * chain[2] + chain[1] * chain[1]) / n), Math.Sqrt(2 * chain[2] * chain[2] / n)];
        output.WriteLine($"covariance {cxx:F5} {cxy:F5} {cyy:F5} vs chain {string.Join(" ", chain)} (SE {se[0]:F5})");
        for (int j = 0; j < 3; j++)
            Assert.True(Math.Abs(measured[j] - chain[j]) < 4.5 * se[j], $"entry {j}: {measured[j]} vs discrete-chain law {chain[j]} (SE {se[j]})");
        foreach (var (other, name) in new[] { (0.400066, "exact"), (0.257387, "exponential chain") })
            Assert.True(Math.Abs(cxx - other) > 4.5 * se[0], $"the multistep chain's law should be resolved from the {name}'s {other}: {cxx}");
    }

    /// <summary>φ₂(u) = (u − 1 + e^{−u})/u² on both sides of the series switch and at large and negative u.</summary>
    [Fact]
    public void Phi2_matches_its_definition_and_series()
    {
        // Reference values to 16 digits (mpmath): (u − 1 + e^{−u})/u².
        foreach (var (u, expected) in new[] { (-3.0, 1.787281880354185), (-0.0501, 0.5084556404924045), (-0.0499, 0.5084214611855823), (0.0, 0.5),
                     (1e-6, 0.499999833333375), (0.0499, 0.4917860568711552), (0.0501, 0.4917535445087971), (0.5, 0.4261226388505337),
                     (4.0, 0.1886447274305459), (60.0, 0.01638888888888889) })
            Assert.Equal(expected, FeynmanKacCorrector.Phi2(u), 1e-13);
    }
}
