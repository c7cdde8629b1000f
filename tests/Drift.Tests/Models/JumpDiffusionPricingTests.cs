using System.Numerics;
using Drift.Models.Finance;
using Drift.Solve;
using Drift.Solve.Sde;
using Xunit.Abstractions;

namespace Drift.Tests.Models;

/// <summary>
/// Exponential jump-diffusions as instances of the engine's jump-diffusion problem: Merton priced by the general loop
/// against its series, Kou's closed-form (Fourier) price checked against Black–Scholes, the Lewis integral checked on
/// Merton's characteristic function against the series, and Kou's Monte Carlo price and log-price moments against
/// their closed forms.
/// </summary>
public class JumpDiffusionPricingTests(ITestOutputHelper output)
{
    // Kou (2002), §5's example parameters.
    private static readonly KouJumpDiffusion Kou = new(rate: 0.05, sigma: 0.16, intensity: 1, upProbability: 0.4, upRate: 10, downRate: 5);

    /// <summary>Merton's ln φ_Y, written independently of the library's pricing code.</summary>
    private readonly struct MertonCharacteristic(double sigma, double lambda, double mu, double delta, double t) : ILogForwardCharacteristic
    {
        public Complex Log(Complex z)
        {
            double k = Math.Exp(mu + 0.5 * delta * delta) - 1;
            Complex iz = Complex.ImaginaryOne * z;
            return iz * (-lambda * k - 0.5 * sigma * sigma) * t - 0.5 * sigma * sigma * z * z * t
                + lambda * t * (Complex.Exp(iz * mu - 0.5 * delta * delta * z * z) - 1);
        }
    }

    [Fact]
    public void The_Lewis_integral_reproduces_Merton_series_and_Kou_reduces_to_Black_Scholes()
    {
        foreach (double strike in new[] { 80.0, 100, 125 })
        {
            double series = MertonAnalytic.Call(100, strike, 1, 0.05, 0.2, 1.0, -0.1, 0.15);
            double x = Math.Log(100 / strike) + 0.05;
            // |φ_Y(u − i/2)| ≤ e^{−σ²u²/2 + O(1)}: at U = 60 the tail is below e^{−70}.
            double j = LewisFourier.Integral(new MertonCharacteristic(0.2, 1.0, -0.1, 0.15, 1), x, 5, 60);
            double fourier = LewisFourier.Call(100, strike, 0.05, 1, j);
            output.WriteLine($"K = {strike}: Merton series {series:F12}, Lewis {fourier:F12}");
            Assert.Equal(series, fourier, 1e-10);

            var noJumps = new KouJumpDiffusion(0.05, 0.2, 0, 0.4, 10, 5);
            Assert.Equal(BlackScholes.Call(100, strike, 1, 0.05, 0.2), KouAnalytic.Call(noJumps, 100, strike, 1), 1e-11);
            double call = KouAnalytic.Call(Kou, 100, strike, 0.5), put = KouAnalytic.Put(Kou, 100, strike, 0.5);
            Assert.Equal(call - put, 100 - strike * Math.Exp(-0.05 * 0.5), 1e-11);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => KouAnalytic.Call(new KouJumpDiffusion(0.05, 0, 1, 0.4, 10, 5), 100, 100, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KouJumpDiffusion(0.05, 0.2, 1, 0.4, 1, 5));
    }

    [Fact]
    public void Kou_Monte_Carlo_matches_the_closed_form_price_and_log_price_moments()
    {
        const double spot = 100, strike = 98, maturity = 0.5;
        var solution = DiffEq.Solve(Kou.Problem(spot, maturity), new EulerMaruyama(),
            new SolveOptions { Controller = ConstantStep.WithSteps(8), Paths = 100_000, Seed = 21, KeepPaths = true, TrackQuantiles = false });
        double exact = KouAnalytic.Call(Kou, spot, strike, maturity);
        var price = EnsemblePricing.European(solution.Ensemble, 0, strike, maturity, Kou.Rate, OptionKind.Call);
        output.WriteLine($"Kou call: MC {price.Price:F4} ± {price.StandardError:F4}, closed form {exact:F6}");
        Assert.True(Math.Abs(price.Price - exact) < 4 * price.StandardError, $"{price.Price} ± {price.StandardError} vs {exact}");

        var (mean, meanSe, m2, varianceSe) = FinanceSchemesTests.Moments(solution.PathsAt(0, 0));
        double exactMean = Kou.LogPriceMean(spot, maturity), exactVariance = Kou.LogPriceVariance(maturity);
        output.WriteLine($"ln S_T: mean {mean:F5} ± {meanSe:F5} (exact {exactMean:F5}), variance {m2:F5} ± {varianceSe:F5} (exact {exactVariance:F5})");
        Assert.True(Math.Abs(mean - exactMean) < 4 * meanSe, $"mean {mean} ± {meanSe} vs {exactMean}");
        Assert.True(Math.Abs(m2 - exactVariance) < 4 * varianceSe, $"variance {m2} ± {varianceSe} vs {exactVariance}");
    }

    [Fact]
    public void Merton_as_a_general_jump_diffusion_prices_within_four_standard_errors_of_the_series()
    {
        var model = new MertonJumpDiffusion(rate: 0.05, sigma: 0.2, intensity: 1.0, jumpMean: -0.1, jumpStdDev: 0.15, seed: 0);
        double exact = MertonAnalytic.Call(100, 100, 1, 0.05, 0.2, 1.0, -0.1, 0.15);
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(10), Paths = 100_000, Seed = 10, KeepPaths = true, TrackQuantiles = false };
        var price = EnsemblePricing.European(DiffEq.Solve(model.Problem(100, 1), new EulerMaruyama(), options).Ensemble, 0, 100, 1, 0.05, OptionKind.Call);
        output.WriteLine($"fixed steps: {price.Price:F4} ± {price.StandardError:F4}, series {exact:F4}");
        Assert.True(Math.Abs(price.Price - exact) < 4 * price.StandardError, $"{price.Price} ± {price.StandardError} vs {exact}");
    }
}
