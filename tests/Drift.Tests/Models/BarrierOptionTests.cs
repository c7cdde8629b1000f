using Xunit.Abstractions;
using Drift.Models.Finance;
using Drift.Solve;

namespace Drift.Tests.Models;

/// <summary>
/// The down-and-out call: the closed form (Merton; Reiner–Rubinstein) against limits that do not share its code, and
/// Monte Carlo with the Brownian-bridge crossing correction within 4 standard errors of it on a coarse grid, where the
/// discretely monitored (uncorrected) estimate is measurably biased high — by about the shift of the barrier to
/// B e^{−0.5826σ√h} that Broadie, Glasserman and Kou derived.
/// </summary>
public class BarrierOptionTests(ITestOutputHelper output)
{
    private const double S = 100, K = 100, B = 90, T = 1, R = 0.05, Vol = 0.3;

    [Fact]
    public void The_closed_form_meets_its_limits()
    {
        // A barrier far below the spot never matters: the Black–Scholes call.
        Assert.Equal(BlackScholes.Call(S, K, T, R, Vol), DownAndOutCall.Price(S, K, 1e-6, T, R, Vol), 10);
        // At the spot the option is dead; the B ≤ K and B > K branches meet at B = K.
        Assert.Equal(0, DownAndOutCall.Price(S, K, S, T, R, Vol));
        double below = DownAndOutCall.Price(S, K, K * (1 - 1e-9), T, R, Vol), above = DownAndOutCall.Price(S, K, K * (1 + 1e-9), T, R, Vol);
        Assert.True(Math.Abs(below - above) < 1e-6, $"{below} vs {above}");
        // Monotone in the barrier, and below the vanilla call.
        Assert.True(DownAndOutCall.Price(S, K, 80, T, R, Vol) > DownAndOutCall.Price(S, K, 90, T, R, Vol));
        Assert.True(DownAndOutCall.Price(S, K, 90, T, R, Vol) < BlackScholes.Call(S, K, T, R, Vol));
        Assert.Throws<ArgumentException>(() => DownAndOutCall.Price(S, K, -1, T, R, Vol));
    }

    [Fact]
    public void Bridge_corrected_Monte_Carlo_matches_the_closed_form_and_the_uncorrected_estimate_is_biased()
    {
        const int steps = 32;
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = 100_000, Seed = 15 };
        double exact = DownAndOutCall.Price(S, K, B, T, R, Vol);
        var corrected = DownAndOutCall.MonteCarlo(S, K, B, T, R, Vol, bridgeCorrection: true, options);
        var discrete = DownAndOutCall.MonteCarlo(S, K, B, T, R, Vol, bridgeCorrection: false, options);
        double shifted = DownAndOutCall.Price(S, K, B * Math.Exp(-0.5826 * Vol * Math.Sqrt(T / steps)), T, R, Vol);
        output.WriteLine($"exact {exact:F4}; bridge-corrected {corrected.Price:F4} ± {corrected.StandardError:F4}; uncorrected {discrete.Price:F4} ± {discrete.StandardError:F4}; shifted-barrier closed form {shifted:F4}");
        Assert.True(Math.Abs(corrected.Price - exact) < 4 * corrected.StandardError,
            $"corrected {corrected.Price:F4} ± {corrected.StandardError:F4} vs exact {exact:F4}");
        Assert.True(discrete.Price - exact > 6 * discrete.StandardError,
            $"uncorrected {discrete.Price:F4} ± {discrete.StandardError:F4} should be biased above {exact:F4}");
        // The discrete-monitoring bias is about the continuity correction's: the price with the barrier at B e^{−βσ√h}.
        Assert.True(Math.Abs(discrete.Price - shifted) < 4 * discrete.StandardError + 0.01 * exact,
            $"uncorrected {discrete.Price:F4} vs continuity-corrected closed form {shifted:F4}");
    }
}
