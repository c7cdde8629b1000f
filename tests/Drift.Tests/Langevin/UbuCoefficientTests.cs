using Drift.Langevin;

using Drift.Numerics;

namespace Drift.Tests.Langevin;

public class UbuCoefficientTests
{
    /// <summary>f(x) = (1 − e^{−2x})/2 − (1 − e^{−x})²/x as a power series whose x and x² terms cancel exactly.</summary>
    private static double Series(double x)
    {
        double sum = 0, factorial = 1;
        for (int j = 1; j <= 40; j++)
        {
            factorial *= j;                                   // j!
            double sign = j % 2 == 1 ? 1 : -1;                // (−1)^{j+1}
            double first = sign * Math.Pow(2, j - 1) / factorial;
            double second = sign * (Math.Pow(2, j + 1) - 2) / (factorial * (j + 1));
            sum += (first - second) * Math.Pow(x, j);
        }
        return sum;
    }

    [Theory]
    [InlineData(1e-7)]
    [InlineData(1e-4)]
    [InlineData(9.99e-4)]
    [InlineData(1.001e-3)]
    [InlineData(0.05)]
    [InlineData(0.7)]
    [InlineData(2.0)]
    public void Conditional_variance_of_the_exponential_integral_is_accurate_on_both_sides_of_the_series_switch(double x)
    {
        double expected = Series(x);
        Assert.True(Math.Abs(UbuHalfStep.ConditionalVariance(x) - expected) <= 1e-8 * expected,
            $"x = {x}: {UbuHalfStep.ConditionalVariance(x):R} vs {expected:R}");
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-9)]
    [InlineData(3e-4)]
    [InlineData(-3e-4)]
    [InlineData(0.2)]
    [InlineData(-0.4999)]
    [InlineData(3.0)]
    public void ExpM1_is_accurate_where_exp_minus_one_cancels(double x)
    {
        // Taylor series summed to convergence as the reference.
        double term = x, sum = 0;
        for (int k = 2; k < 60 && term != 0; k++)
        {
            sum += term;
            term *= x / k;
        }
        Assert.True(Math.Abs(ScalarMath.ExpM1(x) - sum) <= 4e-16 * Math.Abs(sum), $"{ScalarMath.ExpM1(x):R} vs {sum:R}");
    }

    [Fact]
    public void Conditional_variance_is_positive_and_tends_to_one_half_for_strong_friction()
    {
        Assert.True(UbuHalfStep.ConditionalVariance(1e-12) > 0);
        Assert.Equal(0.5 - 1.0 / 50, UbuHalfStep.ConditionalVariance(50), 12);
    }
}
