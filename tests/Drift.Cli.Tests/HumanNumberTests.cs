using Drift.Cli.Output;

namespace Drift.Cli.Tests;

public class HumanNumberTests
{
    [Theory]
    [InlineData(1.59e8, "1.59e8")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.23457e6")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(-2.5e300, "-2.5e300")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Format_writes_short_exponents(double value, string expected) => Assert.Equal(expected, HumanNumber.Format(value));

    [Theory]
    [InlineData(1.4e5, "140 k")]
    [InlineData(7.934e8, "793 M")]
    [InlineData(12.54, "12.5")]
    [InlineData(999.6, "1.00 k")]
    [InlineData(999_600_000.0, "1.00 G")]
    [InlineData(3.2e9, "3.20 G")]
    [InlineData(0.5, "0.5")]
    public void Si_uses_prefixes_with_three_digits(double value, string expected) => Assert.Equal(expected, HumanNumber.Si(value));

    [Fact]
    public void Simulate_summary_has_no_dotnet_exponent()
    {
        var (code, _, error) = CliHarness.Run("simulate", "gbm", "--paths", "1000", "--steps", "50", "--seed", "1");
        Assert.Equal(0, code);
        Assert.Matches(@"\(\d+(\.\d+)? ?[kMGT]? path-steps/s\)", error);
        Assert.DoesNotContain("E+", error, StringComparison.Ordinal);
    }
}
