using Drift.Brownian.Construction;
using Drift.Models.Finance;
using Xunit.Abstractions;

namespace Drift.Tests.Models;

public class QuasiMonteCarloPricingTests(ITestOutputHelper output)
{
    private const double S0 = 100, K = 100, T = 1, R = 0.05, Sigma = 0.2;

    [Fact]
    public void Geometric_Asian_with_one_date_is_Black_Scholes_and_put_call_parity_holds()
    {
        Assert.Equal(BlackScholes.Call(S0, K, T, R, Sigma), GeometricAsian.Price(S0, K, T, R, Sigma, 1, OptionKind.Call), 12);
        Assert.Equal(BlackScholes.Put(S0, 90, 2, R, 0.3), GeometricAsian.Price(S0, 90, 2, R, 0.3, 1, OptionKind.Put), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => GeometricAsian.Price(S0, K, T, R, Sigma, 0, OptionKind.Call));
    }

    [Theory]
    [InlineData(SamplingMethod.MonteCarlo, PathConstruction.Incremental)]
    [InlineData(SamplingMethod.QuasiMonteCarlo, PathConstruction.BrownianBridge)]
    [InlineData(SamplingMethod.QuasiMonteCarlo, PathConstruction.PrincipalComponents)]
    [InlineData(SamplingMethod.QuasiMonteCarlo, PathConstruction.Incremental)]
    public void Geometric_Asian_estimates_agree_with_the_closed_form(SamplingMethod method, PathConstruction construction)
    {
        double exact = GeometricAsian.Price(S0, K, T, R, Sigma, 16, OptionKind.Call);
        var e = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, PathPayoff.GeometricAsian,
            new PathPricingOptions { Method = method, Construction = construction, Paths = 2048, Randomizations = 16, Seed = 3 });
        double z = (e.Price - exact) / e.StandardError;
        output.WriteLine($"{method} {construction}: {e.Price:F6} ± {e.StandardError:E2}, exact {exact:F6}, z = {z:F2}");
        Assert.True(Math.Abs(z) < 4.5, $"z = {z}");
        Assert.Equal(2048L * 16 * 16, e.PathSteps);
    }

    [Fact]
    public void Control_variate_keeps_the_arithmetic_Asian_price_and_cuts_its_error()
    {
        var options = new PathPricingOptions { Method = SamplingMethod.MonteCarlo, Construction = PathConstruction.Incremental, Paths = 4096, Randomizations = 16, Seed = 5 };
        var plain = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, PathPayoff.ArithmeticAsian, options);
        var cv = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, PathPayoff.ArithmeticAsian, options with { ControlVariate = true });
        double z = (plain.Price - cv.Price) / plain.StandardError;
        output.WriteLine($"plain {plain.Price:F5} ± {plain.StandardError:E2}; with control variate {cv.Price:F5} ± {cv.StandardError:E2}, b = {cv.ControlVariateCoefficient:F4}");
        Assert.True(Math.Abs(z) < 4.5, $"z = {z}");
        Assert.True(cv.StandardError < plain.StandardError / 10, "the geometric control variate should cut the error tenfold at least");
        Assert.InRange(cv.ControlVariateCoefficient, 0.9, 1.2);
    }

    /// <summary>RMSE(N) over randomisations, fitted as a power of N: plain MC slope −½, RQMC with the bridge near −1.</summary>
    [Theory]
    [InlineData(PathPayoff.European, SamplingMethod.MonteCarlo, -0.5)]
    [InlineData(PathPayoff.European, SamplingMethod.QuasiMonteCarlo, -1.0)]
    [InlineData(PathPayoff.ArithmeticAsian, SamplingMethod.MonteCarlo, -0.5)]
    [InlineData(PathPayoff.ArithmeticAsian, SamplingMethod.QuasiMonteCarlo, -1.0)]
    public void Error_falls_with_the_expected_power_of_the_path_count(PathPayoff payoff, SamplingMethod method, double expected)
    {
        var sizes = new[] { 128, 256, 512, 1024, 2048, 4096 };
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (int n in sizes)
        {
            var e = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, payoff, new PathPricingOptions
            {
                Method = method, Construction = method == SamplingMethod.QuasiMonteCarlo ? PathConstruction.BrownianBridge : PathConstruction.Incremental,
                Dates = 16, Paths = n, Randomizations = 32, Seed = (ulong)n,
            });
            double rmse = e.StandardError * Math.Sqrt(32); // the spread of one randomisation: its RMSE, the estimator being unbiased
            output.WriteLine($"N = {n,5}: price {e.Price:F6}, RMSE {rmse:E3}");
            double x = Math.Log(n), y = Math.Log(rmse);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        int k = sizes.Length;
        double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
        output.WriteLine($"{payoff} {method}: fitted slope {slope:F3} (expected {expected})");
        Assert.InRange(slope, expected - 0.25, expected + 0.25);
    }

    [Fact]
    public void Target_standard_error_doubles_the_paths_and_results_do_not_depend_on_threads()
    {
        var options = new PathPricingOptions { Paths = 256, Randomizations = 8, TargetStandardError = 2e-3, Dates = 8 };
        var a = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Put, PathPayoff.European, options with { Threads = 1 });
        var b = GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Put, PathPayoff.European, options with { Threads = 3 });
        Assert.True(a.ReachedTarget && a.StandardError <= 2e-3);
        Assert.Equal(a.Price, b.Price);
        Assert.Equal(a.StandardError, b.StandardError);
        Assert.True(a.PathsPerRandomization > 256 && (a.PathsPerRandomization & (a.PathsPerRandomization - 1)) == 0);
        double z = (a.Price - BlackScholes.Put(S0, K, T, R, Sigma)) / a.StandardError;
        Assert.True(Math.Abs(z) < 4.5, $"z = {z}");
        Assert.Throws<ArgumentOutOfRangeException>(() => GbmPathPricing.Price(S0, K, T, R, Sigma, OptionKind.Call, PathPayoff.European, options with { Randomizations = 1 }));
    }
}
