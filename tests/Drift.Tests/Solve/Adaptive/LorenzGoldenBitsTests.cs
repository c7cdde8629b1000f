using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

/// <summary>
/// Regression guard for speed work on the explicit step loop: Lorenz-63 from (1, 1, 1) to t = 100 at rtol = atol = 10⁻⁶,
/// where chaos amplifies any change in rounding (a reordered sum, a fused multiply–add) into an O(1) change of x(100),
/// so these golden values pin the loop's arithmetic to the bit. They were printed by
/// <c>bench/compare/drift-ode</c> (whose Lorenz is this one) before the weights of the stage sums and error norm were
/// moved into locals and Math.Max left the error scale; a golden number only guards against regressions — accuracy is
/// proved by <see cref="LorenzAccuracyTests"/> and the order tests.
/// </summary>
public class LorenzGoldenBitsTests
{
    [Theory]
    [InlineData("tsit5", false, 4065L, 146L, 25268L, 2.907079620877784, -0.7526474659468034, 26.663513302501677)]
    [InlineData("dopri5", false, 4304L, 195L, 26996L, 0.7105459729806052, 1.7893324098303687, 18.98833444036318)]
    [InlineData("dopri5", true, 4143L, 510L, 27920L, 2.7803420780860004, -2.1260139246641594, 28.09574373187507)]
    [InlineData("dop853", false, 1426L, 317L, 20601L, -7.744243773143167, -2.2831493054101064, 32.18298161331328)]
    public void Lorenz_to_t100_gives_the_same_bits_and_step_counts_as_before(string method, bool integral, long accepted, long rejected,
        long evaluations, double x, double y, double z)
    {
        var controller = (integral ? PidController.Integral : new PidController()) with { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 };
        var s = Methods.Solve(method, new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 100), new SolveOptions { Controller = controller });
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.Equal((accepted, rejected, evaluations), (s.Statistics.AcceptedSteps, s.Statistics.RejectedSteps, s.Statistics.DriftEvaluations));
        Assert.Equal(BitConverter.DoubleToInt64Bits(x), BitConverter.DoubleToInt64Bits(s.FinalState[0]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(y), BitConverter.DoubleToInt64Bits(s.FinalState[1]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(z), BitConverter.DoubleToInt64Bits(s.FinalState[2]));
    }
}
