using Drift.Models.Finance;

namespace Drift.Tests.Models;

public class NormalCdfTests
{
    // erfc(z) from mpmath.erfc at 40 significant digits, rounded to 17 (erfc(1) = 0.157299207050285130659… is also
    // the Abramowitz & Stegun Table 7.1 value 1 − erf 1 = 1 − 0.842700792949715).
    [Theory]
    [InlineData(-2.0, 1.9953222650189527)]
    [InlineData(-0.5, 1.5204998778130465)]
    [InlineData(0.1, 0.88753708398171511)]
    [InlineData(0.5, 0.47950012218695346)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(1.4, 0.047714880237351189)]
    [InlineData(1.5, 0.033894853524689273)]
    [InlineData(2.0, 0.0046777349810472658)]
    [InlineData(3.0, 2.2090496998585441e-5)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    [InlineData(10.0, 2.0884875837625448e-45)]
    [InlineData(26.0, 5.6631924088561428e-296)]
    public void Test_side_erfc_matches_high_precision_values(double z, double expected)
    {
        Assert.True(Math.Abs(StatisticalTests.Erfc(z) / expected - 1) < 3e-15, $"oracle erfc({z}) = {StatisticalTests.Erfc(z):R}");
        Assert.True(Math.Abs(BlackScholes.Erfc(z) / expected - 1) < 1e-14, $"library erfc({z}) = {BlackScholes.Erfc(z):R}");
    }

    [Fact]
    public void Library_erfc_and_normal_cdf_agree_with_the_independent_oracle_everywhere()
    {
        // The library's Chebyshev fit (Numerical Recipes) against the series / continued fraction of StatisticalTests,
        // which share no code or coefficients: relative error below 1e-14, as documented, from erfc ≈ 2 to 1e-300.
        // (Before the Gaussian factor was split, the fit's rounded z² in the exponent gave 1.1e-13 near z = 26.)
        double worst = 0;
        for (double z = -6; z <= 26.5; z += 1.0 / 64)
        {
            double expected = StatisticalTests.Erfc(z);
            worst = Math.Max(worst, Math.Abs(BlackScholes.Erfc(z) / expected - 1));
        }
        Assert.True(worst < 1e-14, $"worst relative error {worst:G3}");
        // Φ(x) from mpmath.ncdf at 40 digits, far into the lower tail, where rounding x/√2 would cost x²·1e-16.
        foreach (var (x, phi) in new[] { (-37.0, 5.7255712225245768e-300), (-30.0, 4.9067139271481871e-198), (-20.0, 2.7536241186062337e-89),
                     (-12.0, 1.776482112077679e-33), (-8.0, 6.2209605742717841e-16), (-5.0, 2.8665157187919391e-7), (-1.96, 0.024997895148220434),
                     (-1.0, 0.15865525393145705), (0.0, 0.5), (1.0, 0.84134474606854295), (1.96, 0.97500210485177957), (6.0, 0.99999999901341235) })
        {
            Assert.True(Math.Abs(BlackScholes.NormalCdf(x) / phi - 1) < 1e-14, $"library Φ({x}) = {BlackScholes.NormalCdf(x):R}");
            if (Math.Abs(x) <= 5) Assert.True(Math.Abs(StatisticalTests.NormalCdf(x) / phi - 1) < 3e-15, $"oracle Φ({x}) = {StatisticalTests.NormalCdf(x):R}");
        }
        Assert.Equal(0.0, BlackScholes.NormalCdf(double.NegativeInfinity));
        Assert.Equal(1.0, BlackScholes.NormalCdf(double.PositiveInfinity));
        Assert.Equal(0.0, BlackScholes.Erfc(double.PositiveInfinity));
        Assert.True(double.IsNaN(BlackScholes.NormalCdf(double.NaN)));
        Assert.True(double.IsNaN(BlackScholes.Erfc(double.NaN)));
    }
}
