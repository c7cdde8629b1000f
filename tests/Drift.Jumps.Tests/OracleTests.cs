namespace Drift.Jumps.Tests;

public sealed class OracleTests
{
    // Closed forms: Q(n, x) = e^{-x} Σ_{k<n} x^k/k!; Q(1/2, x) = erfc(√x), Q(a + 1, x) = Q(a, x) + x^a e^{-x}/Γ(a + 1).
    [Theory]
    [InlineData(1, 1, 0.36787944117144233)]
    [InlineData(2.5, 4, 0.1562356275777223)]
    [InlineData(10, 3, 0.9988975118698844)]
    [InlineData(10.5, 20, 0.007436777297804707)]
    public void Upper_incomplete_gamma_matches_closed_forms(double a, double x, double expected) =>
        Assert.Equal(expected, Oracles.UpperGamma(a, x), 1e-12);
}
