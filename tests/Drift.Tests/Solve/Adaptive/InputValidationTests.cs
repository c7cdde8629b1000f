using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

public class InputValidationTests
{
    private static readonly OdeProblem<Lorenz63> Lorenz = new(default, [1.0, 1.0, 1.0], 0, 1);

    [Theory]
    [InlineData(-1e-6, 1e-6, "RelativeTolerance")]
    [InlineData(1e-6, -1e-6, "AbsoluteTolerance")]
    [InlineData(0.0, 0.0, "AbsoluteTolerance")]
    [InlineData(double.NaN, 1e-6, "RelativeTolerance")]
    public void Bad_tolerances_are_ArgumentExceptions_naming_the_setting(double rtol, double atol, string name)
    {
        var options = new SolveOptions { Controller = new PidController { RelativeTolerance = rtol, AbsoluteTolerance = atol } };
        var e = Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(Lorenz, new Tsitouras5(), options));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Bad_controller_settings_are_ArgumentExceptions()
    {
        foreach (var c in new[]
        {
            new PidController { Safety = 0 }, new PidController { MinFactor = 1.5 }, new PidController { MaxFactor = 0.5 },
            new PidController { MaxSteps = 0 }, new PidController { MaxStep = -1 }, new PidController { MinStep = double.NaN },
            new PidController { Beta1 = 0 }, new PidController { FixedStep = -0.1 },
        })
            Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(Lorenz, new DormandPrince5(), new SolveOptions { Controller = c }));
    }

    [Fact]
    public void Reversed_or_empty_interval_and_NaN_state_are_ArgumentExceptions()
    {
        Assert.ThrowsAny<ArgumentException>(() => new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 1, 1));
        Assert.ThrowsAny<ArgumentException>(() => new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 1, 0));
        Assert.ThrowsAny<ArgumentException>(() => new OdeProblem<Lorenz63>(default, [1.0, double.NaN, 1.0], 0, 1));
        var perPathNaN = new OdeProblem<Lorenz63>(default, [1.0, 1.0, 1.0], 0, 1) { PathInitialStates = (_, _, x) => x.Fill(double.NaN) };
        var e = Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(perPathNaN, new Tsitouras5(), new SolveOptions { Controller = new PidController(), Paths = 4 }));
        Assert.Contains("path 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_times_outside_the_interval_or_out_of_order_are_ArgumentExceptions()
    {
        Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(Lorenz, new Tsitouras5(), new SolveOptions { Controller = new PidController(), Save = SaveAt.Times(0.5, 1.5) }));
        // SaveAt.Times sorts its times, so out-of-order times reach only the layer underneath, which refuses them.
        Assert.ThrowsAny<ArgumentException>(() => AdaptiveOde.Solve(Lorenz, new Tsitouras5(), new AdaptiveOptions { SaveTimes = [0.5, 0.25] }));
        Assert.ThrowsAny<ArgumentException>(() => DiffEq.Solve(Lorenz, new Tsitouras5(), new SolveOptions { Controller = new PidController(), Paths = 0 }));
    }
}
